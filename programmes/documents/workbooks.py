"""Excel for the SKR project manager: the programme overview and the participant list."""

from io import BytesIO

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from benchmarking.excel import XLSX, append_row, fit_rows, header_row, sheet_styles
from meetings.enums import MeetingKind

from ..overview import MeetingStatus

DATE_FORMAT = "yyyy-mm-dd hh:mm"


def _workbook_bytes(workbook) -> bytes:
    for sheet in workbook.worksheets:
        fit_rows(sheet)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _filename(kind: str, programme) -> str:
    return f"{slugify(kind)}-{slugify(programme.name)}-{timezone.localdate():%Y-%m-%d}.xlsx"


def overview_xlsx(overview) -> tuple[str, str, bytes]:
    """A sheet of every meeting (one row each) and a sheet of every cluster."""
    from openpyxl import Workbook

    styles = sheet_styles()
    workbook = Workbook()
    meetings = workbook.active
    meetings.title = _("Meetings")[:31]
    header_row(
        meetings,
        [
            _("Cluster"),
            _("Meeting"),
            _("Date"),
            _("Host"),
            _("Status"),
            _("Invited"),
            _("Answered"),
            _("Attending"),
            _("Evaluation links sent"),
            _("Evaluation responses"),
            _("Response rate (%)"),
            _("Mean rating (1–5)"),
        ],
        [28, 26, 20, 26, 14, 10, 10, 10, 20, 16, 14, 14],
        styles,
    )
    for row in overview.clusters:
        for cell in row.meetings:
            meeting = cell.meeting
            append_row(
                meetings,
                [
                    row.cluster.name,
                    cell.kind_label,
                    timezone.localtime(meeting.starts_at).replace(tzinfo=None)
                    if meeting.starts_at
                    else None,
                    meeting.host.name if meeting.host else "",
                    cell.status_label,
                    cell.invited,
                    cell.answered,
                    cell.attending,
                    cell.evaluations_sent,
                    cell.evaluations,
                    cell.response_rate,
                    cell.mean_rating,
                ],
            )
            meetings.cell(row=meetings.max_row, column=3).number_format = DATE_FORMAT

    clusters = workbook.create_sheet(_("Clusters")[:31])
    rounds = [r.name for r in overview.rounds]
    actions = [label for label, _count in overview.actions]
    header_row(
        clusters,
        [
            _("Cluster"),
            _("Organisations"),
            _("Overdue organiser tasks"),
            *[_("Self-assessments submitted: %(round)s") % {"round": name} for name in rounds],
            *[_("Improvement actions: %(status)s") % {"status": label} for label in actions],
            _("Mean rating (1–5)"),
        ],
        [28, 50, 14, *[18] * len(rounds), *[18] * len(actions), 14],
        styles,
    )
    for row in overview.clusters:
        append_row(
            clusters,
            [
                row.cluster.name,
                ", ".join(m.organisation.name for m in row.organisations),
                row.overdue_tasks,
                *[count for _round, count in row.assessments],
                *[count for _label, count in row.actions],
                row.mean_rating,
            ],
        )
    name = _filename(_("overview"), overview.programme)
    if overview.status:
        label = slugify(str(MeetingStatus.LABELS[overview.status]))
        name = name.replace(".xlsx", f"-{label}.xlsx")
    return name, XLSX, _workbook_bytes(workbook)


def participants_xlsx(programme, rows) -> tuple[str, str, bytes]:
    """Everyone in the programme's clusters, their roles and their answer to each meeting.
    Special needs are not in it: those are for each meeting's host (the meeting's own list)."""
    from openpyxl import Workbook

    styles = sheet_styles()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Participants")[:31]
    kinds = [str(label) for _value, label in MeetingKind.choices]
    header_row(
        sheet,
        [
            _("Cluster"),
            _("Organisation"),
            _("Mentor organisation"),
            _("Name"),
            _("E-mail"),
            _("Role"),
            *kinds,
        ],
        [26, 28, 20, 26, 42, 30, *[20] * len(kinds)],
        styles,
    )
    for row in rows:
        by_kind = {meeting.kind: answer for meeting, answer in row.answers}
        append_row(
            sheet,
            [
                row.cluster.name,
                row.organisation.name,
                _("Yes") if row.is_mentor else "",
                row.person.full_name,
                row.person.email,
                ", ".join(row.roles),
                *[str(by_kind.get(value, "")) for value in MeetingKind.values],
            ],
        )
    sheet.auto_filter.ref = sheet.dimensions
    return _filename(_("participants"), programme), XLSX, _workbook_bytes(workbook)
