"""The cause worksheet as an Excel workbook: SKR's "matris för att identifiera orsaker till
avvikelse", filled in. What people typed is written as text, never as a formula."""

from io import BytesIO

from django.utils.text import slugify
from django.utils.translation import gettext as _

from benchmarking.excel import XLSX, fit_rows, header_row, set_text, sheet_styles

from .selectors import WorksheetData


def worksheet_rows(data: WorksheetData) -> list[tuple[str, str]]:
    """The worksheet as (heading, text) rows, in the order of SKR's matrix."""
    return [
        (_("Organisation"), data.organisation),
        (_("Key figure"), data.kpi),
        (_("Deviation"), data.deviation),
        (_("Threshold"), data.threshold),
        (_("Why this threshold"), data.reasoning),
        *[(_("Possible cause: %(kind)s") % {"kind": kind}, text) for kind, text in data.causes],
        (_("Evidence"), data.evidence),
        (_("Responsible for acting"), data.responsible),
        (_("Decided"), data.decision),
        (_("Improvement actions"), "\n".join(data.actions)),
    ]


def worksheet_xlsx(data: WorksheetData) -> tuple[str, str, bytes]:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Causes")[:31]
    styles = sheet_styles()
    header_row(sheet, [_("Part"), _("Content")], [34, 90], styles)
    for index, (heading, text) in enumerate(worksheet_rows(data), start=2):
        label = set_text(sheet.cell(row=index, column=1), heading)
        label.font = styles["bold"]
        label.alignment = styles["wrap"]
        set_text(sheet.cell(row=index, column=2), text).alignment = styles["wrap"]
    fit_rows(sheet)
    buffer = BytesIO()
    workbook.save(buffer)
    name = "-".join(
        [slugify(_("cause worksheet")), slugify(data.organisation), slugify(data.kpi[:40])]
    )
    return f"{name}.xlsx", XLSX, buffer.getvalue()
