"""Checking uploaded meeting documents by their content, not their name."""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 25 * 1024 * 1024

# kind: (content type, file name endings)
ALLOWED = {
    "pdf": ("application/pdf", {".pdf"}),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {".docx"},
    ),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        {".pptx"},
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {".xlsx"}),
    "png": ("image/png", {".png"}),
    "jpeg": ("image/jpeg", {".jpg", ".jpeg"}),
}

# The part that tells one Office Open XML package from another.
OOXML_MAIN_PARTS = {
    "word/document.xml": "docx",
    "ppt/presentation.xml": "pptx",
    "xl/workbook.xml": "xlsx",
}


def _sniff(uploaded) -> str | None:
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            # Only the central directory is read; nothing is decompressed.
            names = set(zipfile.ZipFile(uploaded).namelist())
        except Exception:  # noqa: BLE001 - any unreadable archive is simply not allowed
            return None
        finally:
            uploaded.seek(0)
        if "[Content_Types].xml" in names:
            return next((kind for part, kind in OOXML_MAIN_PARTS.items() if part in names), None)
    return None


def check_document(uploaded) -> str:
    """Return the content type of an allowed document, or raise ValidationError."""
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {
                "size": round(uploaded.size / 1024 / 1024, 1),
                "limit": MAX_UPLOAD_BYTES // 1024 // 1024,
            }
        )
    kind = _sniff(uploaded)
    if kind is None:
        raise ValidationError(
            _(
                "The file is not a PDF, Word, PowerPoint, Excel or image (PNG, JPEG) file. "
                "Nothing was uploaded."
            )
        )
    content_type, endings = ALLOWED[kind]
    name = uploaded.name.lower()
    if not any(name.endswith(ending) for ending in endings):
        raise ValidationError(
            _("The file's name does not match its content (%(kind)s). Rename it and try again.")
            % {"kind": kind.upper()}
        )
    return content_type
