"""Excel in and out, safely.

Out: what people typed is always written as text, never as a formula (a cell starting with
``=``, ``+``, ``-`` or ``@`` would otherwise be evaluated by Excel or LibreOffice).
In: an uploaded workbook is checked as a zip archive before openpyxl parses it (size,
uncompressed size, compression ratio, number of parts), its parts' XML is streamed once to
count cells and elements (see ``count_cells``), then it is read with ``read_only`` and
row/column caps. openpyxl parses its XML with defusedxml when it is installed (it is).
"""

import re
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from django.utils.formats import number_format
from django.utils.translation import gettext as _

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@")

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_PART_BYTES = 30 * 1024 * 1024
# openpyxl reads the shared strings and the styles whole, even in read-only mode: these
# parts get a tighter cap (a checklist of 10,000 statements in two languages is ~6 MB).
MAX_WHOLE_PART_BYTES = {"xl/sharedStrings.xml": 10 * 1024 * 1024, "xl/styles.xml": 5 * 1024 * 1024}
MAX_COMPRESSION_RATIO = 100
MAX_PARTS = 2000
# openpyxl's read-only reader builds a whole row, and every row up to the last one a reader
# asks for, before any column or row cap applies: a row of 1.9 million cells passed every
# check above and took a worker half a minute to several minutes and ~900 MB. Our own
# layouts use fewer than 30 columns and a 10,000-statement checklist has ~60,000 cells.
MAX_CELLS_IN_ROW = 1000
MAX_CELLS = 250_000
# Every element costs openpyxl (and this scan) time, cells or not.
MAX_ELEMENTS = 1_000_000
SPREADSHEET_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # Strict Open XML
)
READ_CHUNK = 64 * 1024


class WorkbookError(Exception):
    """An uploaded workbook that cannot be read; the message is for the user."""


# What XML 1.0, and so a workbook or Word document, cannot hold: control characters other
# than tab and line breaks, lone surrogates, and the non-characters U+FFFE and U+FFFF.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value):
    """Characters a workbook cannot hold (control characters other than tab and line breaks,
    U+FFFE, U+FFFF) are dropped rather than breaking the file; people paste them from other
    programs."""
    if isinstance(value, str):
        return NOT_IN_XML.sub("", value)
    return value


def text_cell(sheet, value):
    """A write-only cell that is always text when the value is a string."""
    from openpyxl.cell import WriteOnlyCell

    value = clean_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
    return cell


def set_text(cell, value):
    """Set a normal cell's value; a string stays a string even if it looks like a formula."""
    value = clean_text(value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
    return cell


def sheet_styles():
    from openpyxl.styles import Alignment, Font, PatternFill

    return {
        "bold": Font(bold=True),
        "header_fill": PatternFill("solid", fgColor="DCE6F2"),
        "input_fill": PatternFill("solid", fgColor="FFF8DC"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
    }


def header_row(sheet, titles, widths, styles):
    """Bold, shaded, frozen header row; column widths; printed landscape, one page wide."""
    for column, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = sheet.cell(row=1, column=column)
        set_text(cell, title)
        cell.font = styles["bold"]
        cell.fill = styles["header_fill"]
        cell.alignment = styles["wrap"]
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


LINE_HEIGHT = 15  # points, for the default 11 pt font


def fit_rows(sheet):
    """Row heights for wrapped text: spreadsheet programs do not always grow rows of a file
    they did not write themselves, and overlapping lines are unreadable."""
    widths = {
        letter: dimension.width or 10
        for letter, dimension in sheet.column_dimensions.items()
        if not dimension.hidden
    }
    for row in sheet.iter_rows():
        lines = 1
        for cell in row:
            width = widths.get(cell.column_letter)
            if width is None or not isinstance(cell.value, str):
                continue
            chars = max(int(width * 1.1) - 1, 1)
            wrapped = sum(-(-max(len(part), 1) // chars) for part in cell.value.split("\n"))
            lines = max(lines, wrapped)
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = lines * LINE_HEIGHT


def append_row(sheet, values):
    """Append a row whose text cells are never formulas."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for column, value in enumerate(values, start=1):
        set_text(sheet.cell(row=row, column=column), value)


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


@dataclass
class CheckedArchive:
    parts: int
    uncompressed: int
    cells: int


def check_archive(uploaded) -> CheckedArchive:
    """Refuse a file that is not a reasonable .xlsx before anything is decompressed."""
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, 2)
        size = uploaded.tell()
    if size > MAX_UPLOAD_BYTES:
        raise WorkbookError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "limit": MAX_UPLOAD_BYTES // 1024 // 1024}
        )
    uploaded.seek(0)
    if uploaded.read(4) != b"PK\x03\x04":
        uploaded.seek(0)
        raise WorkbookError(_("The file is not an Excel workbook (.xlsx)."))
    uploaded.seek(0)
    try:
        archive = zipfile.ZipFile(uploaded)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise WorkbookError(_("The file is damaged and cannot be read as a workbook.")) from error
    finally:
        uploaded.seek(0)
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise WorkbookError(_("The file is not an Excel workbook (.xlsx)."))
    if len(infos) > MAX_PARTS:
        raise WorkbookError(_("The workbook has too many parts to be read safely."))
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        part_limit = MAX_WHOLE_PART_BYTES.get(info.filename, MAX_PART_BYTES)
        if (
            total > MAX_UNCOMPRESSED_BYTES
            or info.file_size > part_limit
            or (info.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO)
        ):
            raise WorkbookError(
                _("The workbook expands to much more than its size and was refused unread.")
            )
    try:
        # Every part, the shared strings too: the relationships decide which part is a sheet.
        cells = count_cells(archive, infos)
    finally:
        uploaded.seek(0)
    return CheckedArchive(parts=len(infos), uncompressed=total, cells=cells)


class _TooManyCells(Exception):
    pass


class _Forbidden(Exception):
    pass


def _forbid(*args):
    raise _Forbidden


def count_cells(archive: zipfile.ZipFile, infos) -> int:
    """Stream each XML part once, counting cells (in total and per row) and elements, and
    refuse the workbook as soon as a count passes its cap: in well under a second and in
    constant memory, before openpyxl builds anything. Every part is counted, whatever its
    name: the workbook's relationships may put a sheet anywhere.

    expat is given no DTD (a document type or entity declaration refuses the file, as
    defusedxml does for openpyxl), so no element comes from anything but the bytes read. A
    part that stops being well-formed is counted up to that point: openpyxl's parser stops
    there too (Excel's own VML drawings are often not well-formed, and are harmless).
    """
    row_tags = {f"{namespace}}}row" for namespace in SPREADSHEET_NAMESPACES}
    # openpyxl makes a cell of every child of a <row>, whatever its name, so those are what
    # is counted; a row's count runs from the start of the outermost row to its end (a row
    # nested in a row does not reset the count of the row around it).
    cells = in_row = elements = open_rows = 0
    is_row: list[bool] = []  # for each open element, whether it is a row

    def start(name, _attributes):
        nonlocal cells, in_row, elements, open_rows
        elements += 1
        if is_row and is_row[-1]:
            cells += 1
            in_row += 1
            if in_row > MAX_CELLS_IN_ROW or cells > MAX_CELLS:
                raise _TooManyCells
        row = name in row_tags
        if row:
            if open_rows == 0:
                in_row = 0
            open_rows += 1
        is_row.append(row)
        if elements > MAX_ELEMENTS:
            raise _TooManyCells

    def end(_name):
        nonlocal open_rows
        if is_row.pop():
            open_rows -= 1

    try:
        for info in infos:
            if not info.is_dir():
                in_row = open_rows = 0
                is_row.clear()
                _count_part(archive, info, start, end)
    except _TooManyCells:
        raise WorkbookError(
            _(
                "The workbook holds more cells than Jämbench reads (at most %(cells)s, and "
                "%(row)s in one row). Remove what is not needed, for example empty formatted "
                "cells, and upload it again."
            )
            % {
                "cells": number_format(MAX_CELLS, force_grouping=True),
                "row": number_format(MAX_CELLS_IN_ROW, force_grouping=True),
            }
        ) from None
    except (_Forbidden, zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise WorkbookError(_("The file is damaged and cannot be read as a workbook.")) from error
    return cells


def _count_part(archive: zipfile.ZipFile, info, start, end) -> None:
    """Every part goes to expat, which finds a UTF-8 or UTF-16 document by its first bytes
    (with or without a byte order mark), as openpyxl's parser does; a part that is not XML
    (an image) stops at its first bytes."""
    with archive.open(info) as part:
        chunk = part.read(READ_CHUNK)
        parser = expat.ParserCreate(namespace_separator="}")
        parser.ordered_attributes = True  # a list is cheaper than a dict, and unused
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.StartDoctypeDeclHandler = _forbid
        parser.EntityDeclHandler = _forbid
        parser.ExternalEntityRefHandler = _forbid
        try:
            while chunk:
                parser.Parse(chunk, False)
                chunk = part.read(READ_CHUNK)
            parser.Parse(b"", True)
        except expat.ExpatError:
            return


def open_workbook(uploaded):
    """A read-only openpyxl workbook of a checked upload (values, not formulas)."""
    from openpyxl import load_workbook

    check_archive(uploaded)
    try:
        return load_workbook(uploaded, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on bad files
        raise WorkbookError(_("The file is damaged and cannot be read as a workbook.")) from error


def cell_text(value) -> str:
    """A cell's value as trimmed text ('' for empty); whole floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
