"""The agenda of a meeting as PDF (WeasyPrint) and Word (python-docx), in the active language."""

from dataclasses import dataclass
from io import BytesIO

from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from benchmarking.documents import without_control_characters
from benchmarking.pdf import PDF, render_pdf

from ..models import Meeting
from ..selectors import agenda_schedule, cluster_memberships

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class AgendaRow:
    start: str
    end: str
    title: str
    format: str
    responsible: str
    notes: str = ""


@dataclass
class AgendaData:
    programme: str
    cluster: str
    meeting: str
    theme: str
    date: str
    times: str
    host: str
    venue: str
    venue_address: str
    remote_link: str
    accessibility: list[str]
    purpose: str
    outcomes: list[str]
    organisations: list[str]
    rows: list[AgendaRow]


def agenda_data(meeting: Meeting) -> AgendaData:
    """Everything an agenda document shows, as plain text in the active language."""
    memberships = cluster_memberships(meeting)
    start, end = meeting.day_bounds()
    mentor = _("mentor")
    return AgendaData(
        programme=meeting.cluster.programme.name,
        cluster=meeting.cluster.name,
        meeting=meeting.get_kind_display(),
        theme=meeting.localized("theme"),
        date=formats.date_format(meeting.date, "l j F Y") if meeting.date else _("Date not set"),
        times=f"{start:%H:%M}–{end:%H:%M}",
        host=meeting.host.name if meeting.host else "",
        venue=meeting.venue,
        venue_address=meeting.venue_address,
        remote_link=meeting.remote_link,
        accessibility=meeting.accessibility_labels,
        purpose=meeting.localized("purpose"),
        outcomes=meeting.outcome_list,
        organisations=[
            m.organisation.name + (f" ({mentor})" if m.is_mentor else "") for m in memberships
        ],
        rows=[
            AgendaRow(
                start=f"{row.start:%H:%M}",
                end=f"{row.end:%H:%M}",
                title=row.item.localized("title"),
                format=row.item.get_format_display(),
                responsible=row.responsible,
                notes=row.item.localized("notes"),
            )
            for row in agenda_schedule(meeting, memberships)
        ],
    )


def agenda_filename(meeting: Meeting, ending: str) -> str:
    date = f"-{meeting.date:%Y-%m-%d}" if meeting.date else ""
    prefix = slugify(_("agenda"))
    return f"{prefix}-{slugify(meeting.cluster.name)}-{meeting.kind}{date}.{ending}"


def agenda_pdf(meeting: Meeting) -> tuple[str, str, bytes]:
    data = agenda_data(meeting)
    content = render_pdf(
        "meetings/agenda_pdf.html", {"agenda": data, "generated": timezone.localtime()}
    )
    return agenda_filename(meeting, "pdf"), PDF, content


def agenda_docx(meeting: Meeting) -> tuple[str, str, bytes]:
    from docx import Document
    from docx.shared import Cm, Pt

    data = without_control_characters(agenda_data(meeting))
    document = Document()
    document.core_properties.title = f"{data.meeting} – {data.cluster}"
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    document.add_paragraph(f"{data.programme} · {data.cluster}")
    document.add_heading(f"{data.meeting}: {data.theme}" if data.theme else data.meeting, 0)
    details = [
        (_("Date"), f"{data.date}, {data.times}"),
        (_("Host organisation"), data.host),
        (_("Venue"), ", ".join(part for part in (data.venue, data.venue_address) if part)),
        (_("Remote participation"), data.remote_link),
        (_("The venue offers"), ", ".join(data.accessibility)),
    ]
    for label, value in details:
        if value:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
    if data.purpose:
        document.add_heading(_("Purpose"), 1)
        document.add_paragraph(data.purpose)
    if data.outcomes:
        document.add_heading(_("What participants leave with"), 1)
        for outcome in data.outcomes:
            document.add_paragraph(outcome, style="List Bullet")
    document.add_heading(_("Agenda"), 1)
    table = document.add_table(rows=1, cols=4)
    table.style = "Light Grid Accent 1"
    for cell, text in zip(
        table.rows[0].cells, [_("Time"), _("Item"), _("Format"), _("Responsible")], strict=True
    ):
        cell.text = text
    for row in data.rows:
        cells = table.add_row().cells
        cells[0].text = f"{row.start}–{row.end}"
        cells[1].text = row.title
        if row.notes:
            cells[1].add_paragraph(row.notes)
        cells[2].text = row.format
        cells[3].text = row.responsible
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, (Cm(2.6), Cm(8.4), Cm(3.0), Cm(3.5)), strict=True):
            cell.width = width
    document.add_heading(_("Organisations"), 1)
    for organisation in data.organisations:
        document.add_paragraph(organisation, style="List Bullet")
    buffer = BytesIO()
    document.save(buffer)
    return agenda_filename(meeting, "docx"), DOCX, buffer.getvalue()
