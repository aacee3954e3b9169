"""The feedback template "återkoppling efter benchmarkingträffar" (Word) for a meeting,
pre-filled from the meeting, its agenda, who came and the organisations' improvement plans."""

from dataclasses import dataclass, field
from io import BytesIO

from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from benchmarking.documents import without_control_characters
from keyfigures.documents import worksheet_rows
from keyfigures.selectors import cluster_worksheets

from .. import model_content
from ..enums import Attendance, MeetingKind
from ..models import Meeting
from ..selectors import agenda_schedule, attendees, cluster_memberships

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class OrganisationIdeas:
    organisation: str
    actions: list[str] = field(default_factory=list)


@dataclass
class FeedbackData:
    meeting: str
    theme: str
    cluster: str
    programme: str
    date: str
    host: str
    venue: str
    participants: list[tuple[str, str, str]]  # name, organisation, in person / remotely
    agenda: list[str]
    outcomes: list[str]
    questions: list[str]
    organisations: list[OrganisationIdeas]
    next_steps: list[tuple[str, str, str]]  # what, who, when
    # Benchmarking meeting 2: (organisation, key figure, [(heading, text)]) per worksheet.
    worksheets: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)


def feedback_data(meeting: Meeting) -> FeedbackData:
    from plans.enums import ActionStatus
    from plans.selectors import cluster_plans

    memberships = cluster_memberships(meeting)
    registrations = attendees(meeting)
    plans = cluster_plans(meeting.cluster)
    open_statuses = {ActionStatus.PLANNED, ActionStatus.IN_PROGRESS}
    next_steps = []
    for organisation_plan in plans:
        for action in organisation_plan.actions:
            if action.status in open_statuses and action.due_on:
                who = (
                    action.responsible_person.full_name
                    if action.responsible_person
                    else organisation_plan.organisation.name
                )
                next_steps.append((action.due_on, action.title, who))
    start, end = meeting.day_bounds()
    worksheets = []
    if meeting.kind == MeetingKind.BENCHMARKING_2:
        worksheets = [
            (worksheet.organisation, worksheet.kpi, worksheet_rows(worksheet)[2:])
            for worksheet in cluster_worksheets(meeting.cluster)
        ]
    return FeedbackData(
        meeting=meeting.get_kind_display(),
        theme=meeting.localized("theme"),
        cluster=meeting.cluster.name,
        programme=meeting.cluster.programme.name,
        date=formats.date_format(meeting.date, "j F Y") if meeting.date else "",
        host=meeting.host.name if meeting.host else "",
        venue=meeting.venue,
        participants=[
            (
                r.person.full_name,
                r.organisation.name if r.organisation else "",
                _("In person") if r.attendance == Attendance.IN_PERSON else _("Remotely"),
            )
            for r in registrations
        ],
        agenda=[
            f"{row.start:%H:%M} {row.item.localized('title')}"
            for row in agenda_schedule(meeting, memberships)
        ],
        outcomes=meeting.outcome_list,
        questions=model_content.questions(meeting.kind, get_language() or "sv"),
        organisations=[
            OrganisationIdeas(
                organisation=p.organisation.name,
                actions=[
                    f"{a.title} ({a.get_status_display().lower()})"
                    for a in p.actions
                    if a.status in open_statuses
                ],
            )
            for p in plans
        ],
        next_steps=[
            (title, who, formats.date_format(due, "j F Y"))
            for due, title, who in sorted(next_steps, key=lambda step: step[0])
        ],
        worksheets=worksheets,
    )


def feedback_docx(data: FeedbackData) -> tuple[str, str, bytes]:
    from docx import Document
    from docx.shared import Pt

    data = without_control_characters(data)

    document = Document()
    document.core_properties.title = _("Feedback after the benchmarking meeting")
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    document.add_paragraph(f"{data.programme} · {data.cluster}")
    document.add_heading(_("Feedback after the benchmarking meeting"), 0)
    heading = f"{data.meeting}: {data.theme}" if data.theme else data.meeting
    document.add_paragraph().add_run(heading).bold = True
    for label, value in (
        (_("Date"), data.date),
        (_("Host organisation"), data.host),
        (_("Venue"), data.venue),
    ):
        if value:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)

    document.add_heading(_("Participants"), 1)
    if data.participants:
        table = document.add_table(rows=1, cols=3)
        table.style = "Light Grid Accent 1"
        for cell, text in zip(
            table.rows[0].cells, [_("Name"), _("Organisation"), _("Took part")], strict=True
        ):
            cell.text = text
        for name, organisation, attendance in data.participants:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = name, organisation, attendance
    else:
        document.add_paragraph(_("Nobody has registered yet: fill in who took part."))

    document.add_heading(_("The day's agenda"), 1)
    for line in data.agenda:
        document.add_paragraph(line, style="List Bullet")

    document.add_heading(_("What we learned"), 1)
    document.add_paragraph(
        _("What did the meeting give us, measured against what it set out to achieve?")
    )
    for outcome in data.outcomes:
        document.add_paragraph(outcome, style="List Bullet")
        document.add_paragraph("")
    if data.questions:
        document.add_heading(_("The meeting's questions"), 2)
        for question in data.questions:
            document.add_paragraph(question, style="List Number")
            document.add_paragraph("")

    document.add_heading(_("Improvement ideas per organisation"), 1)
    for ideas in data.organisations:
        document.add_heading(ideas.organisation, 2)
        if ideas.actions:
            document.add_paragraph(_("Actions in the improvement plan:"))
            for action in ideas.actions:
                document.add_paragraph(action, style="List Bullet")
        document.add_paragraph(_("New ideas from the meeting:"))
        document.add_paragraph("", style="List Bullet")

    if data.worksheets:
        document.add_heading(_("Causes of deviations"), 1)
        for organisation, kpi, rows in data.worksheets:
            document.add_heading(f"{organisation}: {kpi}", 2)
            for heading, text in rows:
                if text:
                    paragraph = document.add_paragraph()
                    paragraph.add_run(f"{heading}: ").bold = True
                    paragraph.add_run(text)

    document.add_heading(_("Agreed next steps"), 1)
    table = document.add_table(rows=1, cols=3)
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, [_("What"), _("Who"), _("When")], strict=True):
        cell.text = text
    for step in [*data.next_steps, ("", "", ""), ("", "", "")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = step

    buffer = BytesIO()
    document.save(buffer)
    name = "-".join([slugify(_("feedback")), slugify(data.cluster), slugify(data.meeting)])
    return f"{name}.docx", DOCX, buffer.getvalue()
