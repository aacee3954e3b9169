"""The presentation template (PowerPoint) and the feedback template (Word)."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from pptx import Presentation

from checklists import services as checklist_services
from keyfigures import services as kpi_services
from keyfigures.enums import ThresholdKind
from meetings.enums import Attendance
from meetings.models import Registration
from plans import services as plan_services

from ..checklists.conftest import fill
from ..conftest import client_for, convert_with_libreoffice


@pytest.fixture
def prepared(rounds, world):
    """The mentor submitted two rounds, has a key figure beyond its threshold and two actions."""
    baseline, follow_up = rounds
    for round_, level in ((baseline, 1), (follow_up, 2)):
        assessment = checklist_services.start_assessment(round_, world.mentor)
        fill(assessment, lambda s, v=level: v)
        checklist_services.submit_assessment(assessment, user=None, confirm_carried=True)
    chosen = kpi_services.add_own_kpi(world.programme, world.mentor, title="Sjukfrånvaro", unit="%")
    kpi_services.save_year(chosen, year=2024, women=Decimal("9.1"), men=Decimal("5.5"), total=None)
    kpi_services.set_threshold(
        chosen, threshold_kind=ThresholdKind.RELATIVE, threshold=Decimal(20), motivation=""
    )
    plan_services.create_action(
        world.programme,
        world.mentor,
        user=None,
        organisation_kpi=chosen,
        title="Analysera sjukfrånvaron",
        status="in_progress",
        due_on=datetime.date(2027, 3, 1),
    )
    meeting = world.cluster.meetings.get(kind="benchmarking_2")
    Registration.objects.create(
        meeting=meeting,
        person=world.key_person,
        organisation=world.mentor,
        attendance=Attendance.IN_PERSON,
    )
    return meeting


def _pptx(client, meeting, organisation):
    response = client.get(
        reverse(
            "meetings:presentation_pptx",
            kwargs={"pk": meeting.pk, "organisation_pk": organisation.pk},
        )
    )
    assert response.status_code == 200
    return response


def test_presentation_reads_back_the_organisations_numbers(prepared, world):
    response = _pptx(client_for(world.key_person), prepared, world.mentor)

    presentation = Presentation(BytesIO(response.content))
    slides = list(presentation.slides)
    titles = [slide.shapes.title.text for slide in slides]
    assert titles[0] == world.mentor.name
    assert titles[1:5] == [
        "Fakta och nuläge",
        "Självskattning: resultat och förflyttning",
        "Nyckeltal: avvikelser mellan kvinnor och män",
        "Förbättringsplan",
    ]
    # The discussion questions of SKR's example agenda for benchmarking meeting 2, one a slide.
    assert titles[5:] == [
        "Vilka är de största ojämställdhetsproblemen i den kommunala eller regionala verksamheten?",
        "Ojämställdhet uppstår ofta där bedömningar görs, eftersom vi bär på omedvetna "
        "föreställningar – till exempel om hur ett barn är (utagerande eller tyst) eller vilket "
        "hjälpbehov någon har. Vi ser det inte som avvikelser, det känns normalt. Hur fångar vi "
        "det – inte bara med mätningar, utan också genom att byta språk?",
        "När ni analyserar nyckeltal: kan ni i riskbedömningen bestämma vad som räknas som en "
        "avvikelse mellan resultaten för kvinnor och män? Hur stor får avvikelsen vara innan ni "
        "agerar?",
        "Kan ni ta beslut kring vissa nyckeltal?",
        "Kan verksamhetschefer få ansvar för att anmäla avvikelser och sätta in åtgärder när "
        "siffrorna tyder på omotiverade skillnader? Vad innebär det för kraven på chefer?",
        "Vilka nyckeltal driver förbättringsarbete?",
    ]
    chart = next(shape.chart for shape in slides[2].shapes if shape.has_chart)
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    assert series == {"Nulägesbedömning": [1.0] * 8, "Uppföljning": [2.0] * 8}
    deviation = next(shape.table for shape in slides[3].shapes if shape.has_table)
    assert [cell.text for cell in deviation.rows[1].cells] == [
        f"{world.mentor.kpis.get().kpi.code} Sjukfrånvaro",
        "2024",
        "9,1",
        "5,5",
        "3,6 (49,3 %)",
        "20 %",
        "Utanför gränsvärdet",
    ]
    actions = next(shape.table for shape in slides[4].shapes if shape.has_table)
    assert [cell.text for cell in actions.rows[1].cells][:3] == [
        "Analysera sjukfrånvaron",
        "Nyckeltal",
        "Pågår",
    ]


def test_presentation_in_english_for_an_english_user(prepared, world):
    world.key_person.language = "en"
    world.key_person.save()

    response = _pptx(client_for(world.key_person), prepared, world.mentor)

    titles = [s.shapes.title.text for s in Presentation(BytesIO(response.content)).slides]
    assert titles[1] == "Facts and current situation"
    assert titles[5] == (
        "What are the largest gender inequality problems in the municipal or regional services?"
    )


def test_presentation_for_an_organisation_outside_the_cluster_is_404(prepared, world):
    other = world.other_cluster.memberships.first().organisation

    response = client_for(world.key_person).get(
        reverse(
            "meetings:presentation_pptx", kwargs={"pk": prepared.pk, "organisation_pk": other.pk}
        )
    )

    assert response.status_code == 404


def test_feedback_template_is_prefilled(prepared, world):
    response = client_for(world.participant).get(
        reverse("meetings:feedback_docx", kwargs={"pk": prepared.pk})
    )

    document = Document(BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Återkoppling efter benchmarkingträff" in [p.text for p in document.paragraphs]
    assert headings[:4] == ["Deltagare", "Dagens program", "Vad vi lärde oss", "Träffens frågor"]
    assert world.mentor.name in headings
    assert world.benchmarking_organisation.name in headings
    participants, next_steps = document.tables
    assert [c.text for c in participants.rows[1].cells] == [
        world.key_person.full_name,
        world.mentor.name,
        "På plats",
    ]
    assert [c.text for c in next_steps.rows[1].cells] == [
        "Analysera sjukfrånvaron",
        world.mentor.name,
        "1 mars 2027",
    ]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Analysera sjukfrånvaron (pågår)" in body


def test_templates_open_in_libreoffice(prepared, world, tmp_path):
    client = client_for(world.key_person)
    files = {
        "presentation.pptx": _pptx(client, prepared, world.mentor).content,
        "feedback.docx": client.get(
            reverse("meetings:feedback_docx", kwargs={"pk": prepared.pk})
        ).content,
    }

    converted = convert_with_libreoffice(tmp_path, files)

    assert all(pdf.startswith(b"%PDF") for pdf in converted.values())


def test_presentation_with_characters_a_document_cannot_hold_does_not_crash(prepared, world):
    mentor = world.mentor
    mentor.name = "Uppsala\ufffe kommun\x0b"
    mentor.save()

    response = _pptx(client_for(world.key_person), prepared, mentor)

    title = list(Presentation(BytesIO(response.content)).slides)[0].shapes.title.text
    assert title == "Uppsala kommun"


def test_long_discussion_questions_stay_on_their_slide_above_the_answer(prepared, world):
    response = _pptx(client_for(world.key_person), prepared, world.mentor)

    presentation = Presentation(BytesIO(response.content))
    for slide in list(presentation.slides)[5:]:
        title = slide.shapes.title
        answer = next(s for s in slide.shapes if s.has_text_frame and s.text == "Vårt svar:")
        if len(title.text) > 60:  # placed in full, not inherited without a width
            assert title.width > presentation.slide_width // 2
            assert title.top >= 0
            assert title.top + title.height <= answer.top
