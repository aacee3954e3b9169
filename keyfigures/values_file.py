"""Reading key-figure values from a file (Excel .xlsx or CSV) for figures Kolada lacks.

Columns (header row, Swedish or English): ``Nyckeltal`` (the key figure's id), ``År``,
``Kvinnor``, ``Män``, ``Totalt``. Every cell is checked first; nothing is stored from a file
with errors.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from benchmarking.excel import WorkbookError, cell_text, open_workbook

from .services import parse_number

MAX_ROWS = 5000
COLUMNS = {
    "code": {"nyckeltal", "id", "kpi", "key figure"},
    "year": {"år", "year", "period"},
    "women": {"kvinnor", "women", "k"},
    "men": {"män", "men", "m"},
    "total": {"totalt", "total", "t"},
}


@dataclass
class ValueRow:
    code: str
    year: int
    women: Decimal | None
    men: Decimal | None
    total: Decimal | None


class ValuesFileError(Exception):
    def __init__(self, errors):
        super().__init__("; ".join(errors))
        self.errors = errors


def _table(uploaded) -> list[tuple]:
    head = uploaded.read(4)
    uploaded.seek(0)
    if head == b"PK\x03\x04":
        workbook = open_workbook(uploaded)
        try:
            sheet = workbook.worksheets[0]
            return [
                tuple(row)
                for _n, row in zip(
                    range(MAX_ROWS + 2), sheet.iter_rows(max_col=10, values_only=True), strict=False
                )
            ]
        finally:
            workbook.close()
    if uploaded.size > 2 * 1024 * 1024:
        raise WorkbookError(_("The file is too large (the limit for CSV is 2 MB)."))
    raw = uploaded.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,\t") if text.strip() else csv.excel
    return [tuple(row) for row in csv.reader(io.StringIO(text), dialect)][: MAX_ROWS + 2]


def read_values_file(uploaded, allowed_codes) -> list[ValueRow]:
    try:
        table = _table(uploaded)
    except WorkbookError as error:
        raise ValuesFileError([str(error)]) from error
    except csv.Error as error:
        raise ValuesFileError([_("The file cannot be read as CSV or Excel.")]) from error
    if not table:
        raise ValuesFileError([_("The file is empty.")])
    header = [cell_text(value).lower() for value in table[0]]
    columns = {}
    for key, names in COLUMNS.items():
        for index, name in enumerate(header):
            if name in names:
                columns[key] = index
                break
    missing = [key for key in ("code", "year") if key not in columns]
    if missing or not any(k in columns for k in ("women", "men", "total")):
        raise ValuesFileError(
            [_("The first row must name the columns Nyckeltal, År and Kvinnor, Män and/or Totalt.")]
        )
    if len(table) > MAX_ROWS + 1:
        raise ValuesFileError([_("The file has more than %(max)s rows.") % {"max": MAX_ROWS}])
    errors, rows = [], []
    for number, values in enumerate(table[1:], start=2):

        def cell(key, values=values):
            index = columns.get(key)
            return values[index] if index is not None and index < len(values) else None

        if not any(cell_text(v) for v in values):
            continue
        code = cell_text(cell("code")).upper()
        if code not in allowed_codes:
            errors.append(
                _("Row %(row)s: %(code)s is not one of the organisation's key figures.")
                % {"row": number, "code": code or "–"}
            )
            continue
        try:
            if isinstance(cell("year"), bool):
                raise ValueError
            year = int(cell_text(cell("year")))
            if not 1990 <= year <= 2100:
                raise ValueError
        except ValueError:
            errors.append(
                _("Row %(row)s: “%(value)s” is not a year.")
                % {"row": number, "value": cell_text(cell("year"))}
            )
            continue
        parsed = {}
        for key in ("women", "men", "total"):
            try:
                parsed[key] = parse_number(cell(key))
            except ValueError:
                errors.append(
                    _("Row %(row)s: “%(value)s” is not a number that can be stored.")
                    % {"row": number, "value": cell_text(cell(key))}
                )
        if len(parsed) == 3:
            if all(value is None for value in parsed.values()):
                errors.append(
                    _(
                        "Row %(row)s: no values. A formula without a computed value? Open "
                        "and save the file in Excel, then upload it again."
                    )
                    % {"row": number}
                )
            else:
                rows.append(ValueRow(code, year, parsed["women"], parsed["men"], parsed["total"]))
        if len(errors) >= 20:
            break
    if errors:
        raise ValuesFileError(errors)
    if not rows:
        raise ValuesFileError([_("The file has no values.")])
    return rows
