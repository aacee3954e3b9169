"""The workbook guard: a workbook whose cells would stall openpyxl is refused before openpyxl
sees it, quickly and in little memory, wherever in the archive the cells hide."""

import io
import time
import tracemalloc

import pytest
from openpyxl import Workbook

from benchmarking import excel

from .workbooks import MAIN, cells, one_huge_row, replace_part, sheet

REFUSED = (
    "The workbook holds more cells than Jämbench reads (at most 250,000, and 1,000 in one row)."
    " Remove what is not needed, for example empty formatted cells, and upload it again."
)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def _workbook(rows=(("Område", "Nr", "Påstående"), ("Mål", 1, "Första"))) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _check(content: bytes):
    return excel.check_archive(io.BytesIO(content))


def test_ordinary_workbook_passes_with_its_cells_counted():
    assert _check(_workbook()).cells == 6


def test_one_row_of_1_85_million_cells_is_refused_quickly_in_little_memory():
    content = one_huge_row(_workbook())
    assert len(content) < 2 * 1024 * 1024  # a small upload

    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(excel.WorkbookError) as refused:
        excel.open_workbook(io.BytesIO(content))
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert str(refused.value) == REFUSED
    assert elapsed < 1.0
    assert peak < 100 * 1024 * 1024


def test_rows_nested_in_a_row_do_not_reset_its_count():
    """openpyxl builds every direct cell of the outer row, whatever rows stand between."""
    chunk = cells(900) + b"<row/>"
    content = replace_part(
        _workbook(), "xl/worksheets/sheet1.xml", sheet(b"<row>" + chunk * 3 + b"</row>")
    )

    with pytest.raises(excel.WorkbookError, match="1,000 in one row"):
        _check(content)


def test_many_rows_of_few_cells_pass_below_the_total():
    rows = b"".join(b"<row>" + cells(10) + b"</row>" for _ in range(100))

    content = replace_part(_workbook(), "xl/worksheets/sheet1.xml", sheet(rows))

    assert _check(content).cells == 1000


def test_too_many_cells_in_all_are_refused(monkeypatch):
    monkeypatch.setattr(excel, "MAX_CELLS", 500)
    rows = b"".join(b"<row>" + cells(10) + b"</row>" for _ in range(60))

    content = replace_part(_workbook(), "xl/worksheets/sheet1.xml", sheet(rows))

    with pytest.raises(excel.WorkbookError, match="at most 500"):
        _check(content)


@pytest.mark.parametrize("name", ["xl/sharedStrings.xml", "xl/cells", "xl/media/image1.png"])
def test_cells_in_any_part_are_counted(name):
    """The relationships decide which part is a sheet: a part of any name may be one."""
    content = replace_part(_workbook(), name, sheet(b"<row>" + cells(1001) + b"</row>"))

    with pytest.raises(excel.WorkbookError, match="1,000 in one row"):
        _check(content)


def test_prefixed_cells_are_counted():
    rows = b"<x:row>" + cells(1001).replace(b"<c>", b"<x:c>").replace(b"</c>", b"</x:c>")
    content = replace_part(
        _workbook(),
        "xl/worksheets/sheet1.xml",
        b'<x:worksheet xmlns:x="' + MAIN.encode() + b'"><x:sheetData>' + rows + b"</x:row>"
        b"</x:sheetData></x:worksheet>",
    )

    with pytest.raises(excel.WorkbookError, match="1,000 in one row"):
        _check(content)


def test_too_many_elements_of_any_kind_are_refused(monkeypatch):
    monkeypatch.setattr(excel, "MAX_ELEMENTS", 1000)
    content = replace_part(_workbook(), "xl/worksheets/sheet1.xml", sheet(b"<x/>" * 1001))

    with pytest.raises(excel.WorkbookError):
        _check(content)


def test_a_part_that_is_not_xml_is_passed_over():
    content = replace_part(_workbook(), "xl/media/image1.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)

    assert _check(content).cells == 6


def test_a_part_that_stops_being_well_formed_is_counted_up_to_there():
    """Excel's VML drawings are often not well-formed XML: a workbook with comments opens."""
    vml = b"<xml><v:shape><br></v:shape></xml>"

    content = replace_part(_workbook(), "xl/drawings/vmlDrawing1.vml", vml)

    assert _check(content).cells == 6


def test_any_child_of_a_row_counts_as_a_cell():
    """openpyxl makes a cell of every child of a row, whatever its name or namespace."""
    rows = b"<row>" + b"<q123/>" * 1001 + b"</row>"

    content = replace_part(_workbook(), "xl/worksheets/sheet1.xml", sheet(rows))

    with pytest.raises(excel.WorkbookError, match="1,000 in one row"):
        _check(content)


def test_a_sheet_in_utf_16_without_a_byte_order_mark_is_counted():
    xml = sheet(b"<row>" + cells(1001) + b"</row>").decode().replace('encoding="UTF-8"', "")

    for encoding in ("utf-16-be", "utf-16-le"):
        content = replace_part(_workbook(), "xl/worksheets/sheet1.xml", xml.encode(encoding))
        with pytest.raises(excel.WorkbookError, match="1,000 in one row"):
            _check(content)
