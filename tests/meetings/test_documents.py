import datetime
import io

import pytest
from docx import Document
from pypdf import PdfReader

from benchmarking.pdf import PDF_BASE_URL, static_only_fetcher
from meetings.documents.agenda import agenda_docx, agenda_pdf
from meetings.enums import MeetingKind

from ..conftest import convert_with_libreoffice


@pytest.fixture
def meeting(world):
    meeting = world.cluster.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    meeting.starts_at = datetime.datetime(2027, 2, 16, 8, 30, tzinfo=datetime.UTC)
    meeting.ends_at = datetime.datetime(2027, 2, 16, 15, 0, tzinfo=datetime.UTC)
    meeting.host = world.mentor
    meeting.venue = "Stadshuset"
    meeting.remote_link = "https://meet.example.se/bm1"
    meeting.accessibility = ["hearing_loop", "step_free"]
    meeting.save()
    return meeting


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_agenda_pdf_lists_items_in_order_with_venue(meeting):
    filename, content_type, content = agenda_pdf(meeting)

    text = " ".join(_pdf_text(content).split())
    titles = [" ".join(item.title.split()) for item in meeting.agenda_items.all()]
    position = 0
    for title in titles:  # each title found after the one before it
        position = text.find(title[:30], position)
        assert position != -1, title
    assert content_type == "application/pdf"
    assert filename.endswith(".pdf")
    assert "Stadshuset" in text
    assert "Hörslinga" in text
    assert "https://meet.example.se/bm1" in text
    assert "09:30" in text
    assert "1 / " in text  # the page counter comes from our stylesheet: it was loaded


def test_agenda_pdf_in_english(meeting, settings):
    from django.utils import translation

    with translation.override("en"):
        _filename, _type, content = agenda_pdf(meeting)

    text = " ".join(_pdf_text(content).split())
    assert "Hearing loop" in text
    assert meeting.agenda_items.first().title_en[:20] in text


def test_agenda_docx_reads_back_items_in_order(meeting):
    filename, _type, content = agenda_docx(meeting)

    document = Document(io.BytesIO(content))
    table = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert filename.endswith(".docx")
    # Each item's title, then its notes (the minutes of a presentation) where it has them.
    assert [row[1] for row in rows] == [
        "\n".join(filter(None, [item.title, item.notes])) for item in meeting.agenda_items.all()
    ]
    assert rows[0][0].startswith("09:30")


def test_pdf_fetcher_refuses_other_urls():
    fetcher = static_only_fetcher()

    with pytest.raises(ValueError, match="Refused"):
        fetcher.fetch("http://example.com/tracker.png")
    with pytest.raises(ValueError, match="Refused"):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch(f"{PDF_BASE_URL}static/css/agenda-pdf.css").read().startswith(b"@page")


def test_agenda_documents_open_in_libreoffice(meeting, tmp_path):
    # The PDF opens in Draw, the DOCX in Writer; both must convert to a readable PDF.
    files = {}
    for generate in (agenda_pdf, agenda_docx):
        filename, _type, content = generate(meeting)
        files[filename] = content

    converted = convert_with_libreoffice(tmp_path, files)

    for pdf in converted.values():
        assert PdfReader(io.BytesIO(pdf)).pages


def test_agenda_pdf_renders_with_production_static_storage(meeting, settings):
    # Production hashes static names (manifest); the PDF must not depend on collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    _filename, _type, content = agenda_pdf(meeting)

    assert content.startswith(b"%PDF")


def test_agenda_docx_drops_control_characters_pasted_into_a_title(meeting):
    item = meeting.agenda_items.order_by("position").first()
    item.title = "Fika\x0boch registrering"
    item.save()

    _name, _type, content = agenda_docx(meeting)

    texts = [c.text for table in Document(io.BytesIO(content)).tables for c in table._cells]
    assert "Fikaoch registrering" in texts
