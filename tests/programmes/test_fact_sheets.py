"""The fact sheet on SKR's common template: filled in by the key person, population by sex
from Kolada (recorded), compared side by side in the cluster, shown in the start-up
presentation."""

import datetime
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from pptx import Presentation

from programmes.models import FactSheet
from tests.factories import make_cluster

from ..conftest import client_for
from ..keyfigures.conftest import KOLADA, recording

NOW = datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC)
# The same number of queries whatever the number of organisations.
QUERIES = 9
POPULATION_URL = f"{KOLADA}data/kpi/N01951/municipality/0380/year/2023,2024,2025"


def _url(name, world, organisation):
    return reverse(
        name, kwargs={"programme_pk": world.programme.pk, "organisation_pk": organisation.pk}
    )


def _form(**overrides):
    data = {
        "decided_by": "Kommunfullmäktige",
        "decided_on": "2025-03-17",
        "responsible": "Kommundirektören",
        "decision": "Jämställdhetsintegrering ska ingå i styrningen.",
        "elected_official": "Anna Ordförande",
        "elected_official_time": "5 %",
        "manager": "Bo Chef",
        "manager_time": "10 %",
        "key_person": "Karin Nyckelperson",
        "key_person_time": "50 %",
        "population_year": "2024",
        "population_women": "124283",
        "population_men": "122918",
        "population_total": "247201",
        "organisation_facts": "Sex nämnder, 15 000 anställda.",
        "goals": "Jämställd service till invånarna.",
        "priorities": "Äldreomsorg och ekonomiskt bistånd.",
        "communication": "Intranätet och kommunens webbplats.",
        "other_facts": "",
    }
    return {**data, **overrides}


@pytest.fixture(autouse=True)
def english(world):
    """The new texts have no Swedish translation until `make messages` runs: read the pages in
    English, whose texts are the source strings."""
    for user in (world.key_person, world.participant, world.project_manager):
        user.language = "en"
        user.save()


@pytest.fixture
def uppsala(world):
    organisation = world.mentor
    organisation.kolada_id = "0380"
    organisation.description = "Uppsala kommun har arbetat med jämställdhet sedan 2008."
    organisation.save()
    return organisation


def test_fact_sheet_key_person_fetches_population_and_fills_in(http, world, uppsala):
    http.get(POPULATION_URL, json=recording("data_N01951_0380"))
    client = client_for(world.key_person)

    with time_machine.travel(NOW, tick=False):
        fetched = client.post(
            _url("keyfigures:fact_sheet_population", world, uppsala), follow=True
        ).content.decode()
    form_page = client.get(_url("programmes:fact_sheet_update", world, uppsala)).content.decode()
    response = client.post(
        _url("programmes:fact_sheet_update", world, uppsala),
        _form(
            population_women=124283,
            population_men=122918,
            population_total=247201,
            other_facts=uppsala.description,
        ),
    )
    sheet = FactSheet.objects.get()
    page = client.get(_url("programmes:fact_sheet", world, uppsala)).content.decode()

    assert "The population in 2024 was fetched from Kolada." in fetched
    assert 'value="124283"' in form_page
    assert 'value="122918"' in form_page
    assert response.status_code == 302
    assert (sheet.population_year, sheet.population_women, sheet.population_men) == (
        2024,
        124283,
        122918,
    )
    assert sheet.population_from_kolada is True
    assert sheet.updated_by == world.key_person
    assert "Kommunfullmäktige" in page
    assert "2024: 124,283 women, 122,918 men, 247,201 in all" in page
    assert "Uppsala kommun har arbetat med jämställdhet sedan 2008." in page


def test_fact_sheet_population_typed_by_hand_is_not_kolada(world, uppsala):
    FactSheet.objects.create(
        programme=world.programme,
        organisation=uppsala,
        population_year=2024,
        population_women=1,
        population_men=1,
        population_total=2,
        population_from_kolada=True,
    )

    client_for(world.key_person).post(
        _url("programmes:fact_sheet_update", world, uppsala), _form(population_women="124000")
    )

    assert FactSheet.objects.get().population_from_kolada is False


def test_fact_sheet_total_smaller_than_women_and_men_is_refused(world, uppsala):
    response = client_for(world.key_person).post(
        _url("programmes:fact_sheet_update", world, uppsala), _form(population_total="10")
    )

    assert response.status_code == 200
    assert "The total is smaller than women and men together." in response.content.decode()
    assert FactSheet.objects.count() == 0


def test_fact_sheet_population_without_kolada_id_changes_nothing(world):
    mentor = world.mentor
    mentor.kolada_id = ""
    mentor.save()

    response = client_for(world.key_person).post(
        _url("keyfigures:fact_sheet_population", world, world.mentor), follow=True
    )

    assert "The organisation has no Kolada id." in response.content.decode()
    assert FactSheet.objects.count() == 0


def test_fact_sheet_kolada_down_changes_nothing(http, world, uppsala):
    http.get(POPULATION_URL, status=503)

    with time_machine.travel(NOW, tick=False):
        response = client_for(world.key_person).post(
            _url("keyfigures:fact_sheet_population", world, uppsala), follow=True
        )

    assert "Kolada has a problem" in response.content.decode()
    assert FactSheet.objects.count() == 0


def test_fact_sheet_participant_reads_but_may_not_fill_in(world, uppsala):
    FactSheet.objects.create(programme=world.programme, organisation=uppsala, goals="Mål 1")
    client = client_for(world.participant)

    page = client.get(_url("programmes:fact_sheet", world, uppsala))
    form = client.get(_url("programmes:fact_sheet_update", world, uppsala))
    posted = client.post(_url("programmes:fact_sheet_update", world, uppsala), _form())
    fetch = client.post(_url("keyfigures:fact_sheet_population", world, uppsala))

    assert page.status_code == 200
    assert "Mål 1" in page.content.decode()
    assert (form.status_code, posted.status_code, fetch.status_code) == (403, 403, 403)
    assert FactSheet.objects.get().goals == "Mål 1"


def test_fact_sheet_other_cluster_sees_nothing(world, uppsala):
    FactSheet.objects.create(programme=world.programme, organisation=uppsala, goals="Hemligt")
    client = client_for(world.other_participant)

    page = client.get(_url("programmes:fact_sheet", world, uppsala))
    comparison = client.get(
        reverse("programmes:cluster_fact_sheets", kwargs={"pk": world.cluster.pk})
    )

    assert (page.status_code, comparison.status_code) == (404, 404)


def test_cluster_fact_sheets_shows_every_organisation_side_by_side(world, uppsala):
    member = world.benchmarking_organisation
    FactSheet.objects.create(programme=world.programme, organisation=member, priorities="Skolan")

    page = client_for(world.participant).get(
        reverse("programmes:cluster_fact_sheets", kwargs={"pk": world.cluster.pk})
    )
    html = page.content.decode()

    assert page.status_code == 200
    assert html.count('<th scope="col">') == 1 + 2  # the part column, one per organisation
    assert html.index(uppsala.name) < html.index(member.name)  # mentor first
    assert "Skolan" in html
    # The mentor has not filled in its sheet: its old description is read as "other facts".
    assert "Uppsala kommun har arbetat med jämställdhet sedan 2008." in html
    for part in ("Decision on gender mainstreaming", "Resources", "Current situation"):
        assert f'<th scope="row">{part}</th>' in html


@pytest.mark.parametrize("organisations", [2, 6])
def test_cluster_fact_sheets_page_queries_do_not_grow(
    world, django_assert_num_queries, organisations
):
    cluster = make_cluster(world.programme, organisations=organisations, name=f"S{organisations}")
    for membership in cluster.memberships.all():
        FactSheet.objects.create(
            programme=world.programme, organisation=membership.organisation, goals="Mål"
        )
    client = client_for(world.project_manager)
    url = reverse("programmes:cluster_fact_sheets", kwargs={"pk": cluster.pk})

    with django_assert_num_queries(QUERIES):
        response = client.get(url)

    assert len(response.context["columns"]) == organisations


def test_startup_presentation_has_the_fact_sheet_slide(world, uppsala):
    FactSheet.objects.create(
        programme=world.programme,
        organisation=uppsala,
        decided_by="Kommunfullmäktige",
        key_person="Karin Nyckelperson",
        key_person_time="50 %",
        population_year=2024,
        population_women=124283,
        population_men=122918,
        population_total=247201,
        priorities="Äldreomsorg",
    )
    meeting = world.cluster.meetings.get(kind="startup")

    response = client_for(world.key_person).get(
        reverse(
            "meetings:presentation_pptx",
            kwargs={"pk": meeting.pk, "organisation_pk": uppsala.pk},
        )
    )

    slides = list(Presentation(BytesIO(response.content)).slides)
    slide = slides[1]
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert slide.shapes.title.text == f"Fact sheet: {uppsala.name}"
    assert rows[0] == ["Part", "Our facts"]
    assert rows[1] == ["Decision on gender mainstreaming", "Who decided: Kommunfullmäktige"]
    assert rows[2] == ["Resources", "Key person: Karin Nyckelperson (50 %)"]
    assert rows[3][1].startswith("Population: 2024: 124,283 women, 122,918 men")
    assert rows[3][1].endswith("Prioritised areas: Äldreomsorg")
