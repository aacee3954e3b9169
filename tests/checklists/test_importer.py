import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError

from checklists import importer, services
from checklists.models import ChecklistVersion, ScaleLevel, Statement

from .conftest import HEADER, build_workbook, example_upload, xlsx_upload


@pytest.fixture(autouse=True)
def english():
    """Messages are read in English here; the Swedish catalogue is checked below."""
    from django.utils import translation

    with translation.override("en"):
        yield


def _errors(content: bytes) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        services.import_checklist(xlsx_upload(content), name="Trasig")
    assert ChecklistVersion.objects.count() == 0
    assert Statement.objects.count() == 0
    return caught.value.message_dict["file"]


def test_example_workbook_imports_areas_statements_and_scale(db):
    version = services.import_checklist(example_upload())

    sections = list(version.sections.all())
    assert version.name == "checklist"
    assert len(sections) == 8
    assert sections[0].title == "Mål och styrdokument"
    assert sections[0].title_en == "Goals and steering documents"
    assert version.statements.count() == 26
    first = version.statements.order_by("position").first()
    assert (first.number, first.section_id) == ("1.1", sections[0].pk)
    assert first.text.startswith("Jämställdhetsmålen")
    assert first.text_en.startswith("The gender-equality goals")
    assert list(ScaleLevel.objects.values_list("value", "label", "label_en")) == [
        (0, "Inte påbörjat", "Not started"),
        (1, "Påbörjat", "Started"),
        (2, "Delvis genomfört", "Partly in place"),
        (3, "Genomfört", "In place"),
    ]


def test_empty_area_continues_the_one_above_and_empty_statements_are_ignored(db):
    content = build_workbook(
        [
            ["Mål", "1", "Första", "", "", "Se budgeten"],
            [None, "2", "Andra"],
            [None, None, None],
            ["Kunskap", "3", "Tredje"],
            ["Kunskap", "", "   "],
        ]
    )

    version = services.import_checklist(xlsx_upload(content), name="Liten")

    assert [
        (s.section.title, s.number, s.text, s.guidance)
        for s in version.statements.select_related("section").order_by("position")
    ] == [
        ("Mål", "1", "Första", "Se budgeten"),
        ("Mål", "2", "Andra", ""),
        ("Kunskap", "3", "Tredje", ""),
    ]


def test_missing_scale_sheet_is_named(db):
    errors = _errors(build_workbook([["Mål", "1", "Första"]], scale=None))

    assert errors == ["The workbook has no sheet named “Skala” with the answer scale."]


def test_bad_scale_value_names_sheet_row_and_column(db):
    scale = [["Värde", "Nivå"], [0, "Inte påbörjat"], ["tre", "Genomfört"]]

    errors = _errors(build_workbook([["Mål", "1", "Första"]], scale=scale))

    assert errors == ["Sheet “Skala”, row 3, column A (Värde): “tre” is not a whole number."]


def test_duplicate_scale_value_and_missing_label_are_reported(db):
    scale = [["Värde", "Nivå"], [0, "Inte"], [0, "Igen"], [1, None]]

    errors = _errors(build_workbook([["Mål", "1", "Första"]], scale=scale))

    assert errors == [
        "Sheet “Skala”, row 3, column A (Värde): the value 0 appears twice.",
        "Sheet “Skala”, row 4, column B (Nivå): the level has no name.",
    ]


def test_first_statement_without_area_names_the_cell(db):
    errors = _errors(build_workbook([[None, "1", "Utan område"]]))

    assert errors == [
        "Sheet “Checklista”, row 2, column A (Område): the first statement has no area."
    ]


def test_too_long_statement_names_the_cell(db):
    errors = _errors(build_workbook([["Mål", "1", "x" * 2001]]))

    assert errors == [
        "Sheet “Checklista”, row 2, column C (Påstående): the text is 2001 characters long; "
        "at most 2000 are allowed."
    ]


def test_missing_header_is_explained(db):
    errors = _errors(build_workbook([["Mål", "1", "Första"]], header=["A", "B", "C"]))

    assert errors == [
        "Sheet “Checklista” has no header row with the columns Område, Påstående "
        "in its first 10 rows."
    ]


def test_first_sheet_is_used_when_no_sheet_is_named_checklista(db):
    content = build_workbook([["Mål", "1", "Första"]], checklist_title="Blad1")

    version = services.import_checklist(xlsx_upload(content), name="Blad1")

    assert version.statements.count() == 1


def test_errors_are_in_swedish_for_swedish_users(db):
    from django.utils import translation

    with translation.override("sv"):
        errors = _errors(build_workbook([[None, "1", "Utan område"]]))

    assert errors == [
        "Bladet ”Checklista”, rad 2, kolumn A (Område): första påståendet saknar område."
    ]


def test_a_file_that_is_not_a_workbook_is_refused(db):
    assert _errors(b"%PDF-1.4 not a workbook") == ["The file is not an Excel workbook (.xlsx)."]


def test_a_corrupt_zip_is_refused(db):
    assert _errors(b"PK\x03\x04" + b"\x00" * 100) == [
        "The file is damaged and cannot be read as a workbook."
    ]


def test_existing_name_is_refused_and_nothing_is_added(db):
    services.import_checklist(example_upload(), name="Checklista 2026")

    with pytest.raises(ValidationError) as caught:
        services.import_checklist(example_upload(), name="Checklista 2026")

    assert "name" in caught.value.message_dict
    assert ChecklistVersion.objects.count() == 1


def test_row_cap_stops_reading(db, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 5)
    rows = [["Mål", str(n), f"Påstående {n}"] for n in range(10)]

    errors = _errors(build_workbook(rows))

    assert errors == ["Sheet “Checklista” has more than 5 rows."]


def _bomb(entry_size: int) -> bytes:
    """A workbook whose sheet expands from a few kB to ``entry_size`` bytes."""
    real = build_workbook([["Mål", "1", "Första"]])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(real)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with target.open(item.filename, "w", force_zip64=True) as handle:
                    chunk = b" " * (1024 * 1024)
                    for _ in range(entry_size // len(chunk)):
                        handle.write(chunk)
            else:
                target.writestr(item, source.read(item.filename))
    return buffer.getvalue()


@pytest.mark.parametrize("size", [3 * 1024 * 1024, 120 * 1024 * 1024])
def test_zip_bomb_is_refused_quickly_without_parsing(db, size):
    content = _bomb(size)
    assert len(content) < 1024 * 1024

    started = time.perf_counter()
    errors = _errors(content)
    elapsed = time.perf_counter() - started

    assert errors == ["The workbook expands to much more than its size and was refused unread."]
    assert elapsed < 1.0


def test_xml_entity_expansion_is_refused(db):
    real = build_workbook([["Mål", "1", "Första"]])
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(real)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = laughs + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)
            target.writestr(item, data)

    started = time.perf_counter()
    errors = _errors(buffer.getvalue())

    assert errors == ["The file is damaged and cannot be read as a workbook."]
    assert time.perf_counter() - started < 1.0


def test_header_names_in_english_are_accepted(db):
    content = build_workbook(
        [["Goals", "1", "First"]],
        header=["Area", "No", "Statement"],
        scale=[["Value", "Level"], [1, "Low"], [2, "High"]],
    )

    version = services.import_checklist(xlsx_upload(content), name="English")

    assert version.statements.get().text == "First"
    assert HEADER[0] == "Område"


def test_oversized_shared_strings_are_refused_unread(db):
    """openpyxl reads the shared strings whole even in read-only mode: a tight cap."""
    import base64
    import os

    real = build_workbook([["Mål", "1", "Första"]])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(real)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                target.writestr(item, source.read(item.filename))
        # Barely compressible, so only the part's own size gives it away.
        target.writestr("xl/sharedStrings.xml", base64.b64encode(os.urandom(8 * 1024 * 1024)))
    assert len(buffer.getvalue()) < 10 * 1024 * 1024

    started = time.perf_counter()
    errors = _errors(buffer.getvalue())

    assert errors == ["The workbook expands to much more than its size and was refused unread."]
    assert time.perf_counter() - started < 1.0
