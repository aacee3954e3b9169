"""Excel for self-assessments: the organisation's pre-filled workbook to fill in offline, its
reading back (checked cell by cell), and the results exports for an organisation and a
cluster (a summary sheet and a sheet per round)."""

from dataclasses import dataclass
from io import BytesIO

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from benchmarking.excel import (
    XLSX,
    WorkbookError,
    append_row,
    cell_text,
    clean_text,
    fit_rows,
    header_row,
    open_workbook,
    set_text,
    sheet_styles,
)

from ..models import COMMENT_MAX_LENGTH, normalise_comment

META_SHEET = "jambench"
MAX_ROWS = 20_000
YES = {"ja", "yes", "x", "1", "true", "sant"}
NO = {"", "nej", "no", "0", "false", "falskt"}

# Columns of the answer sheet (1-based): the ID column is hidden.
ID, AREA, NUMBER, STATEMENT, GUIDANCE, PREVIOUS, LEVEL, IMPROVE, COMMENT = range(1, 10)


def _bytes(workbook) -> bytes:
    for sheet in workbook.worksheets:
        if sheet.title != META_SHEET:
            fit_rows(sheet)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _answer_sheet_title():
    return _("Self-assessment")[:31]


def assessment_workbook(assessment, page) -> tuple[str, str, bytes]:
    """The organisation's self-assessment, pre-filled, to fill in offline and upload again."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    styles = sheet_styles()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _answer_sheet_title()
    header_row(
        sheet,
        [
            "ID",
            _("Area"),
            _("No."),
            _("Statement"),
            _("Guidance"),
            _("Previous level"),
            _("Level"),
            _("Needs improvement (yes/no)"),
            _("Comment"),
        ],
        [6, 26, 7, 60, 40, 12, 10, 16, 50],
        styles,
    )
    sheet.column_dimensions["A"].hidden = True
    values = [level.value for level in page.levels]
    level_check = DataValidation(
        type="list",
        formula1='"' + ",".join(str(v) for v in values) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Level"),
        error=_("Choose one of the scale's levels: %(levels)s.")
        % {"levels": ", ".join(map(str, values))},
    )
    yes_no = DataValidation(
        type="list", formula1=f'"{_("yes")},{_("no")}"', allow_blank=True, showErrorMessage=True
    )
    sheet.add_data_validation(level_check)
    sheet.add_data_validation(yes_no)
    row = 1
    for block in page.blocks:
        for item in block.rows:
            row += 1
            answer = item.answer
            statement = item.statement
            cells = [
                statement.pk,
                block.section.localized("title"),
                statement.number,
                statement.localized("text"),
                statement.guidance,
                item.previous.level if item.previous else None,
                answer.level if answer else None,
                (_("yes") if answer.needs_improvement else _("no")) if answer else _("no"),
                answer.comment if answer else "",
            ]
            for column, value in enumerate(cells, start=1):
                cell = sheet.cell(row=row, column=column)
                set_text(cell, value)
                cell.alignment = styles["wrap"]
                if column in (LEVEL, IMPROVE, COMMENT):
                    cell.fill = styles["input_fill"]
    if row > 1:
        level_check.add(f"G2:G{row}")
        yes_no.add(f"H2:H{row}")
    scale = workbook.create_sheet(_("Scale")[:31])
    header_row(scale, [_("Value"), _("Level")], [10, 50], styles)
    for level in page.levels:
        append_row(scale, [level.value, level.localized("label")])
    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    meta.append(["assessment", assessment.pk])
    meta.append(["version", assessment.round.version_id])
    meta.append(["answers_sheet", sheet.title])
    # What each answer was when downloaded: an upload changes only what was changed in the
    # file, and refuses where the same answer was also changed on the page meanwhile.
    for block in page.blocks:
        for item in block.rows:
            answer = item.answer
            append_row(
                meta,
                [
                    "answer",
                    item.statement.pk,
                    answer.level if answer else None,
                    1 if answer and answer.needs_improvement else 0,
                    normalise_comment(answer.comment) if answer else "",
                ],
            )
    name = "-".join(
        [
            slugify(_("self-assessment")),
            slugify(assessment.organisation.name),
            slugify(assessment.round.name),
        ]
    )
    return f"{name}.xlsx", XLSX, _bytes(workbook)


@dataclass
class WorkbookRow:
    statement_id: int
    level: int | None
    needs_improvement: bool
    comment: str
    row: int = 0
    number: str = ""

    @property
    def values(self) -> tuple:
        return (self.level, self.needs_improvement, normalise_comment(self.comment))


@dataclass
class WorkbookAnswers:
    rows: list[WorkbookRow]
    # statement id -> (level, needs improvement, comment) as downloaded
    downloaded: dict[int, tuple]


class AssessmentWorkbookError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


HEADERS = {
    ID: "ID",
    LEVEL: "Level",
    IMPROVE: "Needs improvement",
    COMMENT: "Comment",
}


def read_assessment_workbook(uploaded, assessment, statement_ids, levels) -> WorkbookAnswers:
    """Check the uploaded workbook cell by cell; raise with every problem, or return rows."""
    try:
        workbook = open_workbook(uploaded)
    except WorkbookError as error:
        raise AssessmentWorkbookError([str(error)]) from error
    errors: list[str] = []
    try:
        return _read(workbook, assessment, statement_ids, levels, errors)
    except WorkbookError as error:
        raise AssessmentWorkbookError([str(error)]) from error
    finally:
        workbook.close()


def _read(workbook, assessment, statement_ids, levels, errors):
    if META_SHEET not in workbook.sheetnames:
        raise WorkbookError(
            _(
                "This is not a self-assessment workbook from Jämbench (its hidden sheet "
                "“%(sheet)s” is missing). Download the workbook from the self-assessment page "
                "and fill in that one."
            )
            % {"sheet": META_SHEET}
        )
    meta = {}
    downloaded = {}
    for key, value, level, improve, comment in workbook[META_SHEET].iter_rows(
        max_row=MAX_ROWS + 10, min_col=1, max_col=5, values_only=True
    ):
        key = cell_text(key)
        if key == "answer":
            try:
                downloaded[int(cell_text(value))] = (
                    int(cell_text(level)) if cell_text(level) else None,
                    cell_text(improve) == "1",
                    normalise_comment(cell_text(comment)),
                )
            except ValueError:
                continue
        elif key:
            meta[key] = cell_text(value)
    if meta.get("assessment") != str(assessment.pk) or meta.get("version") != str(
        assessment.round.version_id
    ):
        raise WorkbookError(
            _(
                "This workbook belongs to another organisation's or another round's "
                "self-assessment. Download the workbook from this page."
            )
        )
    sheet_name = meta.get("answers_sheet", "")
    if sheet_name not in workbook.sheetnames:
        raise WorkbookError(
            _("The sheet “%(sheet)s” with the answers is missing; was it renamed or deleted?")
            % {"sheet": sheet_name}
        )
    sheet = workbook[sheet_name]
    by_value = {level.value: level.value for level in levels}
    by_label = {}
    for level in levels:
        by_label[level.label.strip().lower()] = level.value
        if level.label_en:
            by_label[level.label_en.strip().lower()] = level.value
        by_label[f"{level.value} – {level.label}".lower()] = level.value
    allowed = ", ".join(str(v) for v in by_value)
    rows: list[WorkbookRow] = []
    seen: set[int] = set()

    def problem(row, column, message):
        if len(errors) < 20:
            from openpyxl.utils import get_column_letter

            errors.append(
                _("Sheet “%(sheet)s”, cell %(cell)s: %(message)s")
                % {
                    "sheet": sheet_name,
                    "cell": f"{get_column_letter(column)}{row}",
                    "message": message,
                }
            )

    for number, values in enumerate(
        sheet.iter_rows(min_row=2, max_col=COMMENT, values_only=True), start=2
    ):
        if number > MAX_ROWS:
            errors.append(_("The sheet has more rows than a checklist can have."))
            break
        values = list(values) + [None] * (COMMENT - len(values))
        raw_id = cell_text(values[ID - 1])
        if not raw_id and not any(cell_text(v) for v in values[LEVEL - 1 :]):
            continue
        try:
            statement_id = int(raw_id)
        except ValueError:
            statement_id = None
        if statement_id not in statement_ids:
            problem(
                number,
                ID,
                _(
                    "the row is not a statement of this checklist "
                    "(the hidden ID column was changed)."
                ),
            )
            continue
        if statement_id in seen:
            problem(number, ID, _("the statement appears twice."))
            continue
        seen.add(statement_id)
        raw_level = cell_text(values[LEVEL - 1])
        level = None
        if raw_level:
            try:
                level = by_value.get(int(raw_level), "bad")
            except ValueError:
                level = by_label.get(raw_level.lower(), "bad")
            if level == "bad":
                problem(
                    number,
                    LEVEL,
                    _("“%(value)s” is not a level of the scale (%(allowed)s).")
                    % {"value": raw_level, "allowed": allowed},
                )
                continue
        raw_improve = cell_text(values[IMPROVE - 1]).lower()
        if raw_improve in YES:
            improve = True
        elif raw_improve in NO:
            improve = False
        else:
            problem(
                number,
                IMPROVE,
                _("write “yes” or “no” (was “%(value)s”).")
                % {"value": cell_text(values[IMPROVE - 1])},
            )
            continue
        comment = cell_text(values[COMMENT - 1])
        if len(comment) > COMMENT_MAX_LENGTH:
            problem(
                number,
                COMMENT,
                _("the comment is %(length)s characters long; at most %(limit)s are allowed.")
                % {"length": len(comment), "limit": COMMENT_MAX_LENGTH},
            )
            continue
        rows.append(
            WorkbookRow(
                statement_id,
                level,
                improve,
                comment,
                row=number,
                number=cell_text(values[NUMBER - 1]),
            )
        )
    if errors:
        raise AssessmentWorkbookError(errors)
    if not rows:
        raise WorkbookError(_("The sheet has no answers."))
    return WorkbookAnswers(rows=rows, downloaded=downloaded)


# --- results exports -------------------------------------------------------------------------


def _mean(score):
    return score.mean if score else None


def _score_cells(score):
    if score is None or score.mean is None:
        return [None, None]
    return [score.mean, score.top_share]


def organisation_results_workbook(results, answers_by_round) -> tuple[str, str, bytes]:
    """An organisation's results: a summary sheet, then a sheet per round with every answer."""
    from openpyxl import Workbook

    styles = sheet_styles()
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")[:31]
    rounds = results.rounds
    titles = [_("Area")]
    for r in rounds:
        mean_label = _("mean level")
        top_label = _("% at top level")
        titles += [f"{r.round.name}: {mean_label}", f"{r.round.name}: {top_label}"]
    titles.append(_("Movement"))
    header_row(summary, titles, [40] + [16] * (2 * len(rounds)) + [12], styles)
    for area_row in results.areas:
        values = [area_row.area.label]
        for score in area_row.scores:
            values += _score_cells(score)
        values.append(area_row.movement)
        append_row(summary, values)
    overall = [_("Overall")]
    for score in results.overall:
        overall += _score_cells(score)
    overall.append(results.overall_movement)
    append_row(summary, overall)
    for cell in summary[summary.max_row]:
        cell.font = styles["bold"]
    for round_result in rounds:
        answers = answers_by_round.get(round_result.round.pk)
        if answers is None:
            continue
        sheet = workbook.create_sheet(_sheet_name(workbook, round_result.round.name))
        header_row(
            sheet,
            [_("Area"), _("No."), _("Statement"), _("Level"), _("Needs improvement"), _("Comment")],
            [26, 7, 60, 10, 16, 50],
            styles,
        )
        for row, answer in enumerate(answers, start=2):
            for column, value in enumerate(
                [
                    answer.statement.section.localized("title"),
                    answer.statement.number,
                    answer.statement.localized("text"),
                    answer.level,
                    _("yes") if answer.needs_improvement else _("no"),
                    answer.comment,
                ],
                start=1,
            ):
                cell = sheet.cell(row=row, column=column)
                set_text(cell, value)
                cell.alignment = styles["wrap"]
    name = "-".join(
        [slugify(_("self-assessment-results")), slugify(results.organisation.name), _today()]
    )
    return f"{name}.xlsx", XLSX, _bytes(workbook)


def cluster_results_workbook(cluster, per_round) -> tuple[str, str, bytes]:
    """A cluster's results: a summary of overall scores per round, then a sheet per round with
    the organisations side by side per area and statement.

    ``per_round`` is a list of (round, ClusterResults, {organisation_id: {statement_id: level}},
    statements) for the rounds to export.
    """
    from openpyxl import Workbook

    styles = sheet_styles()
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")[:31]
    rounds = [r for r, *_rest in per_round]
    header_row(
        summary,
        [_("Organisation")] + [r.name for r in rounds] + [_("Movement")],
        [36] + [16] * len(rounds) + [12],
        styles,
    )
    if per_round:
        exported = {r.pk for r in rounds}
        for column, scores, moved in per_round[0][1].overall_by_round:
            values = [column.organisation.name]
            for r, _assessment, score in scores:
                if r.pk in exported:
                    values.append(_mean(score))
            values.append(moved)
            append_row(summary, values)
    for round_, results, levels, statements in per_round:
        sheet = workbook.create_sheet(_sheet_name(workbook, round_.name))
        organisations = [c.organisation for c in results.columns]
        header_row(
            sheet,
            [_("Area"), _("No."), _("Statement")] + [o.name for o in organisations],
            [26, 7, 60] + [16] * len(organisations),
            styles,
        )
        row = 1
        for area_row in results.areas:
            row += 1
            values = [area_row.area.label, "", _("Mean level")] + [
                _mean(s) for s in area_row.scores
            ]
            for column, value in enumerate(values, start=1):
                cell = set_text(sheet.cell(row=row, column=column), value)
                cell.font = styles["bold"]
            for statement in statements.get(area_row.area.title, []):
                row += 1
                values = [
                    area_row.area.label,
                    statement.number,
                    statement.localized("text"),
                ] + [levels.get(o.pk, {}).get(statement.pk) for o in organisations]
                for column, value in enumerate(values, start=1):
                    set_text(sheet.cell(row=row, column=column), value)
    name = "-".join([slugify(_("self-assessment-results")), slugify(cluster.name), _today()])
    return f"{name}.xlsx", XLSX, _bytes(workbook)


def _sheet_name(workbook, name):
    """A sheet title Excel accepts: at most 31 characters, none of []:*?/\\, not starting or
    ending with an apostrophe, not "History", unique regardless of case."""
    clean = "".join("-" if ch in "[]:*?/\\" else ch for ch in clean_text(name))
    clean = clean.strip().strip("'")[:31].strip().strip("'") or "-"
    if clean.lower() == "history":
        clean = f"{clean} (1)"
    taken = {title.lower() for title in workbook.sheetnames}
    candidate, n = clean, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


def _today():
    return f"{timezone.localdate():%Y-%m-%d}"
