"""The worksheet for finding the causes of a flagged deviation: filled in by a working group,
leading to improvement actions, shown in meeting 2's presentation and feedback document and
exported to Excel."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from keyfigures import services
from keyfigures.enums import ThresholdKind
from keyfigures.models import CauseWorksheet
from keyfigures.selectors import organisation_worksheets
from plans.models import ImprovementAction

from ..conftest import client_for

WORKSHEET = {
    "cause_assessments": "Biståndshandläggarna bedömer kvinnors behov lägre.",
    "cause_access": "Män hittar inte till tjänsten.",
    "cause_needs": "",
    "cause_resources": "Mer tid läggs på ärenden med män.",
    "cause_rules": "=Riktlinjen från 2019 skiljer på hushållstyper",
    "cause_other": "",
    "evidence": "Aktgranskning av 40 ärenden.",
    "responsible": "Socialchefen",
    "decision": "Riktlinjen ses över till juni.",
}


@pytest.fixture(autouse=True)
def english(world):
    """New texts have no Swedish translation until `make messages` runs: read English."""
    for user in (world.key_person, world.participant, world.project_manager):
        user.language = "en"
        user.save()


@pytest.fixture
def flagged(world):
    """The mentor's key figure, beyond its threshold: women 9.1, men 5.5, at most 20 %."""
    chosen = services.add_own_kpi(world.programme, world.mentor, title="Sjukfrånvaro", unit="%")
    services.save_year(chosen, year=2024, women=Decimal("9.1"), men=Decimal("5.5"), total=None)
    services.set_threshold(
        chosen,
        threshold_kind=ThresholdKind.RELATIVE,
        threshold=Decimal(20),
        motivation="Budgetens mål: högst 20 % skillnad.",
    )
    return chosen


def _worksheet_url(chosen):
    return reverse("keyfigures:cause_worksheet", kwargs={"pk": chosen.pk})


def test_flagged_deviation_gets_a_worksheet_that_leads_to_an_action(world, flagged):
    client = client_for(world.key_person)

    kpi_page = client.get(
        reverse(
            "keyfigures:organisation_kpis",
            kwargs={"programme_pk": world.programme.pk, "organisation_pk": world.mentor.pk},
        )
    ).content.decode()
    saved = client.post(_worksheet_url(flagged), WORKSHEET)
    create_url = (
        reverse(
            "plans:action_create",
            kwargs={"programme_pk": world.programme.pk, "organisation_pk": world.mentor.pk},
        )
        + f"?kpi={flagged.pk}"
    )
    client.post(
        create_url, {"title": "Se över riktlinjen", "area": "key_figure", "status": "planned"}
    )
    page = client.get(_worksheet_url(flagged)).content.decode()

    assert _worksheet_url(flagged) in kpi_page
    assert saved.status_code == 302
    worksheet = CauseWorksheet.objects.get()
    assert worksheet.organisation_kpi == flagged
    assert worksheet.cause_rules == "=Riktlinjen från 2019 skiljer på hushållstyper"
    assert worksheet.updated_by == world.key_person
    action = ImprovementAction.objects.get()
    assert action.organisation_kpi == flagged
    assert "Budgetens mål: högst 20 % skillnad." in page
    assert "Beyond the threshold" in page
    assert f'href="{action.get_absolute_url()}">Se över riktlinjen</a>' in page
    assert organisation_worksheets(world.programme, world.mentor)[0].actions == [
        "Se över riktlinjen (planned)"
    ]


def test_worksheet_participant_reads_but_may_not_write(world, flagged):
    services.save_cause_worksheet(flagged, evidence="Aktgranskning")
    client = client_for(world.participant)

    page = client.get(_worksheet_url(flagged))
    posted = client.post(_worksheet_url(flagged), {**WORKSHEET, "evidence": "Ändrat"})

    assert page.status_code == 200
    assert "Aktgranskning" in page.content.decode()
    assert "<textarea" not in page.content.decode()
    assert posted.status_code == 403
    assert CauseWorksheet.objects.get().evidence == "Aktgranskning"


def test_worksheet_hidden_from_another_cluster(world, flagged):
    client = client_for(world.other_participant)

    page = client.get(_worksheet_url(flagged))
    export = client.get(reverse("keyfigures:cause_worksheet_xlsx", kwargs={"pk": flagged.pk}))

    assert (page.status_code, export.status_code) == (404, 404)


def test_worksheet_excel_export_round_trips_its_text(world, flagged):
    services.save_cause_worksheet(flagged, **WORKSHEET)

    response = client_for(world.participant).get(
        reverse("keyfigures:cause_worksheet_xlsx", kwargs={"pk": flagged.pk})
    )

    sheet = load_workbook(BytesIO(response.content)).active
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert rows["Organisation"] == world.mentor.name
    assert rows["Why this threshold"] == "Budgetens mål: högst 20 % skillnad."
    assert rows["Threshold"] == "20 %"
    assert rows["Possible cause: where assessments are made"] == WORKSHEET["cause_assessments"]
    # Text that looks like a formula stays text.
    assert rows["Possible cause: rules and routines"] == WORKSHEET["cause_rules"]
    assert sheet["A11"].value == "Possible cause: rules and routines"
    assert (sheet["B11"].data_type, sheet["B11"].value) == ("s", WORKSHEET["cause_rules"])
    assert rows["Evidence"] == WORKSHEET["evidence"]
    assert rows["Responsible for acting"] == "Socialchefen"
    assert rows["Decided"] == "Riktlinjen ses över till juni."


def test_meeting_2_presentation_shows_the_worksheet(world, flagged):
    services.save_cause_worksheet(flagged, **WORKSHEET)
    meeting = world.cluster.meetings.get(kind="benchmarking_2")

    response = client_for(world.key_person).get(
        reverse(
            "meetings:presentation_pptx",
            kwargs={"pk": meeting.pk, "organisation_pk": world.mentor.pk},
        )
    )

    slides = list(Presentation(BytesIO(response.content)).slides)
    worksheet = next(s for s in slides if s.shapes.title.text.startswith("Causes of the deviation"))
    table = next(shape.table for shape in worksheet.shapes if shape.has_table)
    rows = {row.cells[0].text: row.cells[1].text for row in table.rows}
    assert (
        worksheet.shapes.title.text == f"Causes of the deviation: {flagged.kpi.code} Sjukfrånvaro"
    )
    assert rows["Possible cause: access"] == "Män hittar inte till tjänsten."
    assert rows["Decided"] == "Riktlinjen ses över till juni."
    assert rows["Why this threshold"] == "Budgetens mål: högst 20 % skillnad."
    assert "Possible cause: needs" not in rows  # left empty by the group


def test_startup_presentation_has_no_worksheet(world, flagged):
    services.save_cause_worksheet(flagged, **WORKSHEET)
    meeting = world.cluster.meetings.get(kind="startup")

    response = client_for(world.key_person).get(
        reverse(
            "meetings:presentation_pptx",
            kwargs={"pk": meeting.pk, "organisation_pk": world.mentor.pk},
        )
    )

    titles = [s.shapes.title.text for s in Presentation(BytesIO(response.content)).slides]
    assert not [title for title in titles if title.startswith("Causes of the deviation")]


def test_meeting_2_feedback_document_has_the_worksheet(world, flagged):
    services.save_cause_worksheet(flagged, **WORKSHEET)
    meeting = world.cluster.meetings.get(kind="benchmarking_2")

    response = client_for(world.participant).get(
        reverse("meetings:feedback_docx", kwargs={"pk": meeting.pk})
    )

    document = Document(BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert "Causes of deviations" in texts
    assert f"{world.mentor.name}: {flagged.kpi.code} Sjukfrånvaro" in texts
    assert "Evidence: Aktgranskning av 40 ärenden." in texts
