"""Reading SKR's checklist workbook (the canonical layout in the README).

Sheet ``Checklista`` (or the first sheet): a header row with ``Område``, ``Nr``,
``Påstående`` and optionally ``Område (en)``, ``Statement (en)``, ``Vägledning``; one
statement per row, an empty area continues the one above, rows without a statement are
ignored. Sheet ``Skala``: ``Värde`` (integer), ``Nivå`` and optionally ``Nivå (en)``.

Everything is read and checked before anything is written; each problem names the sheet,
row and column.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from benchmarking.excel import WorkbookError, cell_text, column_letter, open_workbook

MAX_ROWS = 20_000
MAX_COLUMNS = 30
HEADER_SEARCH_ROWS = 10
MAX_ERRORS = 20
SCALE_RANGE = range(-10, 101)

CHECKLIST_SHEET = "Checklista"
SCALE_SHEET = "Skala"

# Canonical header -> accepted spellings (compared case-insensitively, trimmed).
CHECKLIST_COLUMNS = {
    "area": {"område", "area", "section"},
    "number": {"nr", "nr.", "no", "no.", "number"},
    "text": {"påstående", "statement"},
    "area_en": {"område (en)", "area (en)", "section (en)"},
    "text_en": {"statement (en)", "påstående (en)"},
    "guidance": {"vägledning", "guidance"},
}
SCALE_COLUMNS = {
    "value": {"värde", "value"},
    "label": {"nivå", "level"},
    "label_en": {"nivå (en)", "level (en)"},
}
# How the header names are written in messages (the canonical workbook's spelling).
HEADER_NAMES = {"area": "Område", "text": "Påstående", "value": "Värde", "label": "Nivå"}
LENGTHS = {"area": 300, "area_en": 300, "number": 20, "text": 2000, "text_en": 2000}


@dataclass
class ParsedStatement:
    number: str
    text: str
    text_en: str
    guidance: str


@dataclass
class ParsedSection:
    title: str
    title_en: str
    statements: list[ParsedStatement] = field(default_factory=list)


@dataclass
class ParsedChecklist:
    sections: list[ParsedSection]
    levels: list[tuple[int, str, str]]

    @property
    def statement_count(self) -> int:
        return sum(len(section.statements) for section in self.sections)


class ChecklistFileError(Exception):
    """The workbook does not follow the layout; ``errors`` are messages for the user."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


class _Problems:
    def __init__(self):
        self.errors: list[str] = []

    def add(self, sheet, row, column, header, message):
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(
                _("Sheet “%(sheet)s”, row %(row)s, column %(column)s (%(header)s): %(message)s")
                % {
                    "sheet": sheet,
                    "row": row,
                    "column": column_letter(column + 1),
                    "header": header,
                    "message": message,
                }
            )
        elif len(self.errors) == MAX_ERRORS:
            self.errors.append(_("… and more problems; fix these first."))

    def general(self, message):
        self.errors.append(message)


def _rows(sheet, problems):
    """(row number, values) with a cap on rows and columns."""
    for number, values in enumerate(
        sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
    ):
        if number > MAX_ROWS:
            problems.general(
                _("Sheet “%(sheet)s” has more than %(max)s rows.")
                % {"sheet": sheet.title, "max": f"{MAX_ROWS:,}".replace(",", " ")}
            )
            return
        yield number, values


def _header(rows, columns, required, sheet_title, problems):
    """Find the header row; return (row number, {key: column index}) or None."""
    for number, values in rows:
        found = {}
        originals = {}
        for index, value in enumerate(values):
            text = cell_text(value).lower()
            for key, spellings in columns.items():
                if text in spellings and key not in found:
                    found[key] = index
                    originals[key] = cell_text(value)
        if all(key in found for key in required):
            return number, found, originals
        if number >= HEADER_SEARCH_ROWS:
            break
    problems.general(
        _(
            "Sheet “%(sheet)s” has no header row with the columns %(columns)s "
            "in its first %(rows)s rows."
        )
        % {
            "sheet": sheet_title,
            "columns": ", ".join(HEADER_NAMES[key] for key in required),
            "rows": HEADER_SEARCH_ROWS,
        }
    )
    return None


def _value(values, index):
    if index is None or index >= len(values):
        return None
    return values[index]


def _parse_checklist_sheet(sheet, problems) -> list[ParsedSection]:
    rows = _rows(sheet, problems)
    header = _header(rows, CHECKLIST_COLUMNS, ("area", "text"), sheet.title, problems)
    if header is None:
        return []
    _number, columns, names = header
    names.setdefault("number", "Nr")
    sections: dict[str, ParsedSection] = {}
    current: ParsedSection | None = None
    generated = 0
    for number, values in rows:
        text = cell_text(_value(values, columns["text"]))
        if not text:
            continue
        row = {
            key: cell_text(_value(values, columns.get(key)))
            for key in ("area", "area_en", "number", "text_en", "guidance")
        }
        row["text"] = text
        too_long = False
        for key, limit in LENGTHS.items():
            if len(row[key]) > limit:
                too_long = True
                problems.add(
                    sheet.title,
                    number,
                    columns[key],
                    names[key],
                    _("the text is %(length)s characters long; at most %(limit)s are allowed.")
                    % {"length": len(row[key]), "limit": limit},
                )
        if too_long:
            continue
        if row["area"]:
            current = sections.get(row["area"])
            if current is None:
                current = sections[row["area"]] = ParsedSection(row["area"], row["area_en"])
            elif row["area_en"] and not current.title_en:
                current.title_en = row["area_en"]
        elif current is None:
            problems.add(
                sheet.title,
                number,
                columns["area"],
                names["area"],
                _("the first statement has no area."),
            )
            continue
        generated += 1
        current.statements.append(
            ParsedStatement(
                number=row["number"] or str(generated),
                text=text,
                text_en=row["text_en"],
                guidance=row["guidance"],
            )
        )
    if not sections and not problems.errors:
        problems.general(_("Sheet “%(sheet)s” has no statements.") % {"sheet": sheet.title})
    return list(sections.values())


def _parse_scale_sheet(sheet, problems) -> list[tuple[int, str, str]]:
    rows = _rows(sheet, problems)
    header = _header(rows, SCALE_COLUMNS, ("value", "label"), sheet.title, problems)
    if header is None:
        return []
    _number, columns, names = header
    levels: dict[int, tuple[int, str, str]] = {}
    for number, values in rows:
        raw = _value(values, columns["value"])
        label = cell_text(_value(values, columns["label"]))
        label_en = cell_text(_value(values, columns.get("label_en")))
        if raw is None and not label:
            continue
        try:
            value = int(cell_text(raw))
        except ValueError:
            problems.add(
                sheet.title,
                number,
                columns["value"],
                names["value"],
                _("“%(value)s” is not a whole number.") % {"value": cell_text(raw)},
            )
            continue
        if value not in SCALE_RANGE:
            problems.add(
                sheet.title,
                number,
                columns["value"],
                names["value"],
                _("%(value)s is outside the allowed range (−10 to 100).") % {"value": value},
            )
        elif value in levels:
            problems.add(
                sheet.title,
                number,
                columns["value"],
                names["value"],
                _("the value %(value)s appears twice.") % {"value": value},
            )
        elif not label:
            problems.add(
                sheet.title, number, columns["label"], names["label"], _("the level has no name.")
            )
        elif len(label) > 200 or len(label_en) > 200:
            problems.add(
                sheet.title,
                number,
                columns["label"],
                names["label"],
                _("the name is longer than 200 characters."),
            )
        else:
            levels[value] = (value, label, label_en)
    if len(levels) < 2 and not problems.errors:
        problems.general(
            _("Sheet “%(sheet)s” must have at least two levels.") % {"sheet": sheet.title}
        )
    return sorted(levels.values())


def parse_checklist(uploaded) -> ParsedChecklist:
    """Read and check the whole workbook; raise ChecklistFileError listing every problem."""
    try:
        workbook = open_workbook(uploaded)
    except WorkbookError as error:
        raise ChecklistFileError([str(error)]) from error
    problems = _Problems()
    try:
        names = workbook.sheetnames
        checklist_sheet = workbook[CHECKLIST_SHEET if CHECKLIST_SHEET in names else names[0]]
        if SCALE_SHEET not in names:
            problems.general(
                _("The workbook has no sheet named “%(sheet)s” with the answer scale.")
                % {"sheet": SCALE_SHEET}
            )
        if checklist_sheet.title == SCALE_SHEET:
            problems.general(
                _("The workbook has no sheet named “%(sheet)s” with the statements.")
                % {"sheet": CHECKLIST_SHEET}
            )
            sections = []
        else:
            sections = _parse_checklist_sheet(checklist_sheet, problems)
        levels = _parse_scale_sheet(workbook[SCALE_SHEET], problems) if SCALE_SHEET in names else []
    except WorkbookError as error:
        raise ChecklistFileError([str(error)]) from error
    except Exception as error:  # noqa: BLE001 - a malformed sheet part
        raise ChecklistFileError(
            [_("The file is damaged and cannot be read as a workbook.")]
        ) from error
    finally:
        workbook.close()
    if problems.errors:
        raise ChecklistFileError(problems.errors)
    return ParsedChecklist(sections=sections, levels=levels)
