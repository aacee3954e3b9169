"""The presentation template (PowerPoint) an organisation fills in for a meeting, pre-filled
with its facts, its self-assessment results and movement, its key figures beyond their
thresholds, its improvement actions, and a slide for each of the model's questions."""

from dataclasses import dataclass, field
from io import BytesIO

from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from benchmarking.documents import without_control_characters
from benchmarking.templatetags.jambench import number
from keyfigures.documents import worksheet_rows
from keyfigures.selectors import organisation_worksheets
from programmes.selectors import fact_sheet_of, fact_sheet_parts

from .. import model_content
from ..enums import MeetingKind

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


@dataclass
class DeviationLine:
    kpi: str
    year: int
    women: str
    men: str
    difference: str
    threshold: str
    exceeded: bool


@dataclass
class ActionLine:
    title: str
    status: str
    due: str
    area: str


@dataclass
class PresentationData:
    organisation: str
    meeting: str
    theme: str
    cluster: str
    programme: str
    date: str
    facts: str
    rounds: list[str] = field(default_factory=list)
    # area -> mean level per round (None where not submitted)
    areas: list[tuple[str, list[float | None]]] = field(default_factory=list)
    overall: list[float | None] = field(default_factory=list)
    movement: float | None = None
    deviations: list[DeviationLine] = field(default_factory=list)
    actions: list[ActionLine] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    # The start-up meeting: the fact sheet's parts as (part, [(label, text)]).
    fact_sheet: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    # Benchmarking meeting 2: each cause worksheet as (key figure, [(heading, text)]).
    worksheets: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)


def presentation_data(meeting, organisation) -> PresentationData:
    """Plain data for the organisation's presentation at the meeting, in the active language."""
    from checklists.selectors import organisation_results
    from keyfigures.selectors import organisation_rows
    from plans.selectors import plan

    programme = meeting.cluster.programme
    results = organisation_results(programme, organisation)
    submitted = [i for i, r in enumerate(results.rounds) if r.counts]
    deviations = []
    for row in organisation_rows(programme, organisation):
        d = row.deviation
        if d is None:
            continue
        ok = row.organisation_kpi
        unit = "%" if ok.threshold_kind == "relative" else row.kpi.unit
        deviations.append(
            DeviationLine(
                kpi=f"{row.kpi.code} {row.kpi.title}",
                year=d.year,
                women=number(d.women),
                men=number(d.men),
                difference=f"{number(d.difference)} ({floatformat(d.relative, 1)} %)",
                threshold=f"{number(ok.threshold)} {unit}".strip()
                if ok.threshold is not None
                else "–",
                exceeded=bool(d.exceeded),
            )
        )
    deviations.sort(key=lambda line: not line.exceeded)
    fact_sheet = []
    if meeting.kind == MeetingKind.STARTUP:
        fact_sheet = [
            (part.title, part.lines)
            for part in fact_sheet_parts(fact_sheet_of(programme, organisation))
        ]
    worksheets = []
    if meeting.kind == MeetingKind.BENCHMARKING_2:
        worksheets = [
            (worksheet.kpi, worksheet_rows(worksheet))
            for worksheet in organisation_worksheets(programme, organisation)
        ]
    return PresentationData(
        organisation=organisation.name,
        meeting=meeting.get_kind_display(),
        theme=meeting.localized("theme"),
        cluster=meeting.cluster.name,
        programme=programme.name,
        date=formats.date_format(meeting.date, "j F Y") if meeting.date else "",
        facts=organisation.description,
        rounds=[results.rounds[i].round.name for i in submitted],
        areas=[
            (row.area.label, [row.scores[i].mean if row.scores[i] else None for i in submitted])
            for row in results.areas
        ],
        overall=[results.overall[i].mean if results.overall[i] else None for i in submitted],
        movement=results.overall_movement,
        deviations=deviations,
        actions=[
            ActionLine(
                title=action.title,
                status=action.get_status_display(),
                due=formats.date_format(action.due_on, "j F Y") if action.due_on else "",
                area=action.get_area_display(),
            )
            for action in plan(programme, organisation)
        ],
        questions=model_content.questions(meeting.kind, get_language() or "sv"),
        fact_sheet=fact_sheet,
        worksheets=worksheets,
    )


def _title_and_body(presentation, title):
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Cm, Pt

    slide = presentation.slides.add_slide(presentation.slide_layouts[5])  # title only
    heading = slide.shapes.title
    heading.text = title
    # A long title (SKR's discussion questions run to 300 characters) gets a smaller font and
    # a taller box that grows downwards; it overflowed the slide's top edge.
    size = 28 if len(title) <= 60 else 24 if len(title) <= 120 else 20
    if len(title) > 60:
        # Placed in full: a placeholder given only a top and height gets no width.
        heading.left, heading.width = Cm(1.2), presentation.slide_width - Cm(2.4)
        heading.top, heading.height = Cm(0.8), Cm(5.6)
        heading.text_frame.vertical_anchor = MSO_ANCHOR.TOP
        heading.text_frame.word_wrap = True
    for paragraph in heading.text_frame.paragraphs:
        paragraph.font.size = Pt(size)
    return slide


def _table(slide, header, rows, widths):
    from pptx.util import Cm, Pt

    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), Cm(1.2), Cm(4.4), Cm(sum(widths)), Cm(0.8 * (len(rows) + 1))
    )
    table = shape.table
    for index, width in enumerate(widths):
        table.columns[index].width = Cm(width)
    for row_index, values in enumerate([header, *rows]):
        for column, value in enumerate(values):
            cell = table.cell(row_index, column)
            cell.text = str(value)
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(10)
    return table


def _text(slide, text, top_cm=4.6, size=18):
    from pptx.util import Cm, Pt

    box = slide.shapes.add_textbox(Cm(1.2), Cm(top_cm), Cm(23), Cm(13))
    frame = box.text_frame
    frame.word_wrap = True
    for index, line in enumerate(text.splitlines() or [""]):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size)
    return box


def _shorten(text: str, limit: int = 300) -> str:
    """A slide holds a summary; the whole text is on the fact sheet's page."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fact_sheet_slide(presentation, data: PresentationData):
    """SKR's common template on one slide: a row per part, what the organisation wrote."""
    slide = _title_and_body(
        presentation, _("Fact sheet: %(organisation)s") % {"organisation": data.organisation}
    )
    rows = [
        [
            part,
            "\n".join(f"{label}: {_shorten(text)}" for label, text in lines if text) or "–",
        ]
        for part, lines in data.fact_sheet
    ]
    _table(slide, [_("Part"), _("Our facts")], rows, [5.0, 18.0])
    return slide


def _worksheet_slide(presentation, kpi: str, rows: list[tuple[str, str]]):
    """A cause worksheet on one slide: the deviation, the causes found, what is decided."""
    slide = _title_and_body(
        presentation, _("Causes of the deviation: %(kpi)s") % {"kpi": _shorten(kpi, 45)}
    )
    filled = [[heading, _shorten(text)] for heading, text in rows if text]
    _table(slide, [_("Part"), _("Content")], filled or [["–", "–"]], [6.5, 16.5])
    return slide


def presentation_pptx(data: PresentationData) -> tuple[str, str, bytes]:
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Cm, Pt

    data = without_control_characters(data)
    presentation = Presentation()  # 4:3, 25.4 × 19.05 cm, the layouts' own size
    presentation.core_properties.title = f"{data.organisation} – {data.meeting}"

    title = presentation.slides.add_slide(presentation.slide_layouts[0])
    title.shapes.title.text = data.organisation
    title.placeholders[1].text = "\n".join(
        part
        for part in (
            f"{data.meeting}: {data.theme}" if data.theme else data.meeting,
            f"{data.cluster} · {data.date}" if data.date else data.cluster,
        )
        if part
    )

    if data.fact_sheet:
        _fact_sheet_slide(presentation, data)
    else:
        facts = _title_and_body(presentation, _("Facts and current situation"))
        _text(
            facts,
            data.facts
            or _(
                "Write about the organisation: facts, its current situation and its work with "
                "gender mainstreaming."
            ),
        )

    results = _title_and_body(presentation, _("Self-assessment: results and movement"))
    if data.rounds and data.areas:
        chart_data = CategoryChartData()
        chart_data.categories = [area for area, _values in data.areas]
        for index, round_name in enumerate(data.rounds):
            chart_data.add_series(round_name, [values[index] for _area, values in data.areas])
        frame = results.shapes.add_chart(
            XL_CHART_TYPE.BAR_CLUSTERED, Cm(0.8), Cm(4.2), Cm(16.5), Cm(14.2), chart_data
        )
        chart = frame.chart
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.category_axis.tick_labels.font.size = Pt(10)
        chart.category_axis.reverse_order = True
        summary = [
            f"{name}: {floatformat(value, 1) if value is not None else '–'}"
            for name, value in zip(data.rounds, data.overall, strict=True)
        ]
        movement = (
            _("Movement since the round before: %(value)s")
            % {"value": floatformat(data.movement, 1)}
            if data.movement is not None
            else ""
        )
        box = results.shapes.add_textbox(Cm(17.6), Cm(4.6), Cm(7.2), Cm(12))
        box.text_frame.word_wrap = True
        box.text_frame.text = _("Overall mean level")
        box.text_frame.paragraphs[0].font.bold = True
        for line in [*summary, movement]:
            if line:
                box.text_frame.add_paragraph().text = line
        for paragraph in box.text_frame.paragraphs:
            paragraph.font.size = Pt(14)
    else:
        _text(results, _("No submitted self-assessment yet."))

    deviations = _title_and_body(presentation, _("Key figures: deviations between women and men"))
    if data.deviations:
        _table(
            deviations,
            [_("Key figure"), _("Year"), _("Women"), _("Men"), _("Difference"), _("Threshold"), ""],
            [
                [
                    d.kpi,
                    d.year,
                    d.women,
                    d.men,
                    d.difference,
                    d.threshold,
                    _("Beyond the threshold") if d.exceeded else "",
                ]
                for d in data.deviations[:10]
            ],
            [6.0, 1.7, 2.0, 1.8, 3.8, 2.6, 4.6],
        )
    else:
        _text(deviations, _("No key figures with values for both women and men yet."))

    actions = _title_and_body(presentation, _("Improvement plan"))
    if data.actions:
        _table(
            actions,
            [_("Action"), _("Area"), _("Status"), _("Due")],
            [[a.title, a.area, a.status, a.due] for a in data.actions[:10]],
            [11.0, 4.2, 3.6, 4.2],
        )
    else:
        _text(actions, _("No actions in the improvement plan yet."))

    for kpi, rows in data.worksheets:
        _worksheet_slide(presentation, kpi, rows)

    for question in data.questions:
        slide = _title_and_body(presentation, question)
        _text(slide, _("Our answer:"), top_cm=7, size=16)

    buffer = BytesIO()
    presentation.save(buffer)
    name = "-".join([slugify(_("presentation")), slugify(data.organisation), slugify(data.meeting)])
    return f"{name}.pptx", PPTX, buffer.getvalue()
