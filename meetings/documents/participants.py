"""The participant list of a meeting as an Excel workbook, for the host and SKR."""

from io import BytesIO

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from benchmarking.excel import XLSX, text_cell


def participant_list_xlsx(meeting, registrations) -> tuple[str, str, bytes]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Participants")[:31])
    widths = [28, 28, 34, 22, 30, 24, 12, 30, 30]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    header = [
        _("Name"),
        _("Organisation"),
        _("E-mail"),
        _("Answer"),
        _("Special diet"),
        _("Other diet or allergy"),
        _("Hearing loop"),
        _("Accessibility needs"),
        _("Other needs"),
    ]
    bold = Font(bold=True)
    cells = []
    for title in header:
        cell = text_cell(sheet, title)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for registration in registrations:
        sheet.append(
            [
                text_cell(sheet, value)
                for value in (
                    registration.person.full_name,
                    registration.organisation.name if registration.organisation else "",
                    registration.person.email,
                    str(registration.get_attendance_display() or _("Not answered yet")),
                    ", ".join(registration.diet_labels),
                    registration.diet_other,
                    _("Yes") if registration.hearing_loop else "",
                    registration.accessibility,
                    registration.other_needs,
                )
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    date = f"{timezone.localtime(meeting.starts_at):%Y-%m-%d}" if meeting.starts_at else ""
    prefix = slugify(_("participants"))
    name = f"{prefix}-{slugify(meeting.cluster.name)}-{meeting.kind}-{date}"
    return f"{name.rstrip('-')}.xlsx", XLSX, buffer.getvalue()
