"""Hostile workbooks, built in the tests (never shipped): each passes the archive checks of
``benchmarking.excel`` (size, uncompressed size, ratio, parts) and stalls openpyxl."""

import functools
import io
import random
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def replace_part(workbook: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one part replaced (or added)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item.filename))
        target.writestr(name, content)
    return buffer.getvalue()


def sheet(rows: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="' + MAIN.encode() + b'"><sheetData>' + rows + b"</sheetData>"
        b"</worksheet>"
    )


@functools.cache
def cells(count: int) -> bytes:
    """``count`` cells with random digits (so the part compresses only ~19:1, well under the
    archive check's ratio cap)."""
    digits = random.Random(count).choices(range(10), k=count)
    return b"".join(b"<c><v>%d</v></c>" % digit for digit in digits)


def one_huge_row(workbook: bytes, count: int = 1_850_000) -> bytes:
    """The probe's file: the first sheet's one ``<row>`` holds ``count`` cells (1.85 million
    fill the 30 MB a part may expand to; the upload is ~1.5 MB)."""
    return replace_part(
        workbook, "xl/worksheets/sheet1.xml", sheet(b'<row r="1">' + cells(count) + b"</row>")
    )
