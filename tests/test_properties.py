"""Properties of the shared Excel helpers: whatever text goes in, a saved workbook holds it as
text (never a formula) and gives back the cleaned text."""

from io import BytesIO

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from benchmarking.excel import clean_text, set_text, text_cell

from .strategies import (
    PURE_EXAMPLES,
    TEXT,
    as_written,
    assert_no_formulas,
    reopened,
    spreadsheet_text,
)

# Known troublemakers, tried on every run whatever Hypothesis draws.
EDGE_TEXTS = [
    "=SUM(A1:A9)",
    "\x00=1+1",
    "\r=1",
    "@SUM(1)",
    "a\r\nb\rc",
    " leading and trailing ",
    "\ufffe\uffff",
    "\U0001f600\u2028",
    "x" * 40000,
]


def _is_xml_character(character: str) -> bool:
    """A character an XML 1.0 document (and so an .xlsx part) may hold."""
    point = ord(character)
    return (
        point in (0x9, 0xA, 0xD)
        or 0x20 <= point <= 0xD7FF
        or 0xE000 <= point <= 0xFFFD
        or 0x10000 <= point <= 0x10FFFF
    )


def _saved(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@PURE_EXAMPLES
@given(TEXT)
@example("".join(EDGE_TEXTS))
def test_clean_text_keeps_exactly_the_characters_a_workbook_can_hold(value):
    cleaned = clean_text(value)

    assert cleaned == "".join(c for c in value if _is_xml_character(c))
    assert clean_text(cleaned) == cleaned


@PURE_EXAMPLES
@given(st.lists(spreadsheet_text(), min_size=1, max_size=4))
@example(EDGE_TEXTS)
def test_set_text_cells_are_text_after_saving_and_opening_again(values):
    workbook = Workbook()
    sheet = workbook.active
    for column, value in enumerate(values, start=1):
        set_text(sheet.cell(row=1, column=column), value)

    opened = reopened(_saved(workbook))

    assert_no_formulas(opened)
    read = [cell.value or "" for cell in opened.active[1]]
    assert read[: len(values)] == [as_written(value) for value in values]


@PURE_EXAMPLES
@given(st.lists(spreadsheet_text(), min_size=1, max_size=4))
@example(EDGE_TEXTS)
def test_write_only_text_cells_are_text_after_saving_and_opening_again(values):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append([text_cell(sheet, value) for value in values])

    opened = reopened(_saved(workbook))

    assert_no_formulas(opened)
    read = [cell.value or "" for cell in opened["Data"][1]]
    assert read[: len(values)] == [as_written(value) for value in values]


@settings(PURE_EXAMPLES, max_examples=50)
@given(
    st.one_of(
        st.integers(-(2**53), 2**53),
        st.floats(-1e15, 1e15),  # openpyxl writes 16 digits: 1.8e308 would read back as inf
        st.none(),
        st.booleans(),
    )
)
def test_text_helpers_leave_numbers_numbers(value):
    workbook = Workbook()
    set_text(workbook.active.cell(row=1, column=1), value)

    cell = reopened(_saved(workbook)).active["A1"]

    assert cell.data_type != "s"
    if value is None:
        assert cell.value is None
    else:
        assert cell.value == pytest.approx(value, rel=1e-14)  # floats keep 16 digits
