"""A cluster of a mentor and five benchmarking organisations plans its meetings: the agenda of
benchmarking meetings 1 and 2 names every organisation in its own slot, the plan page tells
the key person how far the day runs over, and a sixth organisation that joins after the
invitations went out is offered to the planner, who re-plans the agenda.

The pages are checked in English (the key person's language), so the journey reads the
product's own words whatever the Swedish catalogue says; screenshots and the two agenda PDFs
are kept in ``artifacts/screenshots/``."""

import datetime

import pytest
from django.utils import timezone

from meetings.enums import MeetingKind
from programmes import services as programme_services
from programmes.enums import OrganisationKind, Role

from ..factories import (
    PASSWORD,
    AssignmentFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
)
from .conftest import SCREENSHOTS, log_in, screenshot

pytestmark = pytest.mark.browser

MENTOR = "Uppsala kommun"
BENCHMARKING = [
    "Eskilstuna kommun",
    "Region Uppsala",
    "Västerås stad",
    "Örebro kommun",
    "Enköpings kommun",
]
SIXTH = "Östhammars kommun"


@pytest.fixture
def five(db):
    programme = ProgrammeFactory(name="Jämställdhetsintegrering genom benchmarking")
    mentor = OrganisationFactory(name=MENTOR)
    others = [
        OrganisationFactory(
            name=name,
            kind=OrganisationKind.REGION if name.startswith("Region") else "municipality",
        )
        for name in BENCHMARKING
    ]
    cluster = programme_services.create_cluster(
        programme=programme, name="Mälardalen", mentor=mentor, organisations=others
    )
    key_person = UserFactory(full_name="Karin Lund", language="en")
    AssignmentFactory(
        programme=programme, person=key_person, organisation=mentor, role=Role.KEY_PERSON
    )
    cluster.key_person = key_person
    return cluster


def _save_pdf(page, meeting, name: str) -> None:
    response = page.request.get(f"/meetings/{meeting.pk}/agenda.pdf")
    assert response.status == 200
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{name}.pdf").write_bytes(response.body())


def _slot_titles(page, prefix: str) -> list[str]:
    titles = page.locator(".agenda-title").all_inner_texts()
    return [t.removeprefix(prefix) for t in titles if t.startswith(prefix)]


def test_five_organisation_cluster_gets_named_slots_and_a_sixth_is_offered(page, five):
    meeting_1 = five.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    meeting_2 = five.meetings.get(kind=MeetingKind.BENCHMARKING_2)
    host = five.memberships.get(organisation__name="Västerås stad").organisation
    log_in(page, five.key_person.email, PASSWORD)

    # The key person dates meeting 1 with Västerås as host: the host presents first.
    page.goto(meeting_1.get_absolute_url())
    page.get_by_role("link", name="Plan meeting").click()
    page.get_by_label("Date").fill((timezone.localdate() + datetime.timedelta(days=40)).isoformat())
    page.get_by_label("Host organisation").select_option(label=host.name)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The meeting was saved.").wait_for()
    chain = "Governance chain and improvement areas: "
    fit = page.locator("#agenda-fit").inner_text()
    screenshot(page, "agenda-slots-meeting-1-five")
    _save_pdf(page, meeting_1, "agenda-slots-meeting-1-five")

    assert _slot_titles(page, chain) == [
        "Västerås stad",
        "Enköpings kommun",
        "Eskilstuna kommun",
        "Region Uppsala",
        "Örebro kommun",
    ]
    assert "it runs 90 minutes past the end, to 17:30 instead of 16:00" in fit
    assert "The results of the competence inventory" in fit

    # Meeting 2: every organisation in the progress round and the KPI round, the mentor
    # last; the benchmarking organisations in the systems round.
    page.goto(meeting_2.get_absolute_url())
    progress = _slot_titles(page, "Progress since the last meeting: ")
    key_figures = _slot_titles(page, "Prioritised KPIs tied to the organisation's goals: ")
    systems = _slot_titles(page, "Systems and routines for follow-up, analysis and decisions: ")
    screenshot(page, "agenda-slots-meeting-2-five")
    _save_pdf(page, meeting_2, "agenda-slots-meeting-2-five")

    assert progress == key_figures == [*sorted(BENCHMARKING), MENTOR]
    assert systems == sorted(BENCHMARKING)

    # The invitations to meeting 1 have gone out when a sixth organisation joins.
    five.meetings.filter(pk=meeting_1.pk).update(invitations_sent_at=timezone.now())
    programme_services.add_organisation_to_cluster(
        cluster=five, organisation=OrganisationFactory(name=SIXTH)
    )

    # Meeting 2, not yet announced, was re-planned at once.
    page.reload()
    assert SIXTH in _slot_titles(page, "Progress since the last meeting: ")

    # Meeting 1 is offered the change; the agenda stays as it was until the key person acts.
    page.goto(meeting_1.get_absolute_url())
    offer = page.locator("#slot-change")
    offer.wait_for()
    screenshot(page, "agenda-slots-meeting-1-offer")
    assert f"{SIXTH} joined the cluster" in offer.inner_text()
    assert SIXTH not in _slot_titles(page, chain)

    offer.get_by_role("button", name="Re-plan the agenda").click()
    page.get_by_text("The agenda was re-planned for the cluster's organisations.").wait_for()
    fit = page.locator("#agenda-fit").inner_text()
    screenshot(page, "agenda-slots-meeting-1-six")

    assert _slot_titles(page, chain)[-1] == SIXTH
    assert "it runs 120 minutes past the end, to 18:00 instead of 16:00" in fit
    assert page.locator("#slot-change").count() == 0

    # The plan page says the same, and where the model departs from SKR's example.
    page.get_by_role("link", name="Plan meeting").click()
    page.locator("#departures summary").click()
    departures = page.locator("#departures").inner_text()
    plan_fit = page.locator("#agenda-fit").inner_text()
    screenshot(page, "agenda-slots-meeting-1-plan-page")

    assert "gap from 14:15 to 14:45" in departures
    assert "120 minutes past the end" in plan_fit
    assert page.problems == []
