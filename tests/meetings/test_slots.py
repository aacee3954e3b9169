"""Per-organisation agenda items: one named slot per organisation of the actual cluster."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import selectors, services, slots
from meetings.enums import MeetingKind
from meetings.models import AgendaItem
from programmes import services as programme_services
from programmes.enums import Role
from programmes.selectors import memberships_of

from ..conftest import client_for
from ..factories import (
    AssignmentFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    make_cluster,
)
from .conftest import plan

TODAY = datetime.datetime(2027, 1, 10, 9, 0, tzinfo=datetime.UTC)
MEETING_DAY = datetime.date(2027, 3, 10)


@pytest.fixture
def five(db):
    """A cluster of a mentor and five benchmarking organisations, with the mentor's key person
    and an elected official of a benchmarking organisation."""
    programme = ProgrammeFactory()
    cluster = make_cluster(programme, organisations=6, name="Fem")
    mentor = cluster.memberships.get(is_mentor=True).organisation
    key_person = UserFactory(full_name="Karin Nyckelperson", language="en")
    AssignmentFactory(
        programme=programme, person=key_person, organisation=mentor, role=Role.KEY_PERSON
    )
    official = UserFactory(full_name="Anders Förtroendevald")
    AssignmentFactory(
        programme=programme,
        person=official,
        organisation=cluster.memberships.filter(is_mentor=False).first().organisation,
        role=Role.ELECTED_OFFICIAL,
    )
    cluster.key_person, cluster.official, cluster.mentor = key_person, official, mentor
    return cluster


def _benchmarking(cluster) -> list[str]:
    return [m.organisation.name for m in memberships_of(cluster) if not m.is_mentor]


def _slots(meeting, key: str) -> list[str]:
    return [
        item.slot_organisation.name
        for item in meeting.agenda_items.filter(model_key=key).select_related("slot_organisation")
    ]


def _times(meeting) -> dict[str, tuple[str, str]]:
    return {
        row.item.title: (f"{row.start:%H:%M}", f"{row.end:%H:%M}") for row in meeting.schedule()
    }


def test_meeting_1_names_all_five_benchmarking_organisations_in_order(five):
    meeting = five.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    names = _benchmarking(five)

    items = list(meeting.agenda_items.filter(model_key="b1.governance_chains"))

    assert [i.slot_organisation.name for i in items] == names
    assert [i.title for i in items] == [
        f"Styrkedja och förbättringsområden: {name}" for name in names
    ]
    assert [i.responsible_organisation.name for i in items] == names
    assert {i.duration for i in items} == {30}
    assert five.mentor.name not in _slots(meeting, "b1.governance_chains")


def test_meeting_2_names_every_organisation_in_its_rounds(five):
    meeting = five.meetings.get(kind=MeetingKind.BENCHMARKING_2)
    names = _benchmarking(five)

    assert _slots(meeting, "b2.progress") == [*names, five.mentor.name]
    assert _slots(meeting, "b2.key_figures") == [*names, five.mentor.name]
    assert _slots(meeting, "b2.systems") == names
    intro = meeting.agenda_items.get(model_key="b2.progress.intro")
    assert (intro.duration, intro.position) == (10, 1)


def test_five_organisations_move_the_rest_of_the_day(five):
    meeting = five.meetings.get(kind=MeetingKind.BENCHMARKING_1)

    times = _times(meeting)
    fit = selectors.agenda_fit(meeting, selectors.agenda_schedule(meeting, memberships_of(five)))

    # Five slots of 30 minutes instead of SKR's 60-minute block: 90 minutes later.
    assert times["Lunch"] == ("13:30", "14:30")
    assert (fit.fits, fit.over_by, fit.ends) == (False, 90, datetime.time(17, 30))
    assert fit.slot_count == 5
    assert fit.per_slot == 18
    assert [row.item.model_key for row in fit.shorten][:2] == ["b1.competence", "b1.mentor_chain"]


def test_reference_cluster_gets_seed_001_times(db):
    cluster = make_cluster(ProgrammeFactory(), organisations=3)
    meeting = cluster.meetings.get(kind=MeetingKind.BENCHMARKING_1)

    schedule = meeting.schedule()
    fit = selectors.agenda_fit(meeting, schedule)

    starts = [f"{row.start:%H:%M}" for row in schedule]
    assert starts == [
        "09:30",
        "10:00",
        "10:20",  # first benchmarking organisation
        "10:50",  # second
        "11:20",
        "12:00",
        "13:00",
        "13:30",
        "14:15",
        "14:45",
        "15:00",
        "15:40",
    ]
    assert (fit.fits, fit.spare) == (True, 0)


@time_machine.travel(TODAY, tick=False)
def test_sixth_organisation_before_invitations_replans_the_day(five):
    meeting = five.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    sixth = OrganisationFactory(name="Ödeshögs kommun")

    programme_services.add_organisation_to_cluster(cluster=five, organisation=sixth)

    meeting.refresh_from_db()
    names = _slots(meeting, "b1.governance_chains")
    fit = selectors.agenda_fit(meeting, selectors.agenda_schedule(meeting, memberships_of(five)))
    assert names == _benchmarking(five)
    assert names[-1] == "Ödeshögs kommun"
    assert _times(meeting)["Lunch"] == ("14:00", "15:00")
    assert (fit.over_by, fit.ends) == (120, datetime.time(18, 0))
    assert sixth.pk in meeting.slot_organisations
    assert not slots.slot_change(meeting, memberships_of(five))


@time_machine.travel(TODAY, tick=False)
def test_plan_pages_say_the_day_no_longer_fits_and_by_how_much(five):
    meeting = five.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    programme_services.add_organisation_to_cluster(
        cluster=five, organisation=OrganisationFactory(name="Ödeshögs kommun")
    )
    client = client_for(five.key_person)

    detail = client.get(meeting.get_absolute_url()).content.decode()
    plan_page = client.get(reverse("meetings:meeting_plan", args=[meeting.pk])).content.decode()

    for page in (detail, plan_page):
        assert "it runs 120 minutes past the end, to 18:00 instead of 16:00" in page
        assert "The results of the competence inventory" in page  # an item to shorten
        assert "Or take 20 minutes from each of the 6 items per organisation." in page
    assert "Governance chain and improvement areas: Ödeshögs kommun" in detail
    assert "Where this meeting departs from SKR's example (5)" in plan_page


@time_machine.travel(TODAY, tick=False)
def test_plan_page_says_the_reference_cluster_fits(world):
    meeting = world.cluster.meetings.get(kind=MeetingKind.BENCHMARKING_1)

    world.key_person.language = "en"
    world.key_person.save()

    page = client_for(world.key_person).get(meeting.get_absolute_url()).content.decode()

    # One benchmarking organisation: half an hour shorter than SKR's example for two.
    assert "The agenda fits the day: it ends at 15:30, and the day at 16:00." in page


@time_machine.travel(TODAY, tick=False)
def test_participant_sees_named_slots_but_no_planning_notices(five):
    meeting = five.meetings.get(kind=MeetingKind.BENCHMARKING_1)

    page = client_for(five.official).get(meeting.get_absolute_url()).content.decode()

    assert f"Styrkedja och förbättringsområden: {_benchmarking(five)[0]}" in page
    assert 'id="agenda-fit"' not in page
    assert 'id="departures"' not in page


def _invited(meeting):
    plan(meeting, MEETING_DAY, at=TODAY)
    meeting.invitations_sent_at = TODAY
    meeting.save(update_fields=["invitations_sent_at"])


@time_machine.travel(TODAY, tick=False)
def test_after_invitations_a_new_organisation_changes_nothing_without_the_planner(five):
    meeting = five.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    _invited(meeting)
    before = list(meeting.agenda_items.values_list("pk", "position", "title"))

    sixth = OrganisationFactory(name="Ödeshögs kommun")
    programme_services.add_organisation_to_cluster(cluster=five, organisation=sixth)
    page = client_for(five.key_person).get(meeting.get_absolute_url()).content.decode()

    assert list(meeting.agenda_items.values_list("pk", "position", "title")) == before
    assert "Ödeshögs kommun joined the cluster" in page
    assert 'value="apply"' in page
    # The start-up meeting, not yet announced, was re-planned at once.
    startup = five.meetings.get(kind=MeetingKind.STARTUP)
    assert "Ödeshögs kommun" in _slots(startup, "startup.presentations")


@time_machine.travel(TODAY, tick=False)
def test_planner_applies_the_offered_change(five):
    meeting = five.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    _invited(meeting)
    sixth = OrganisationFactory(name="Ödeshögs kommun")
    programme_services.add_organisation_to_cluster(cluster=five, organisation=sixth)
    client = client_for(five.key_person)

    response = client.post(reverse("meetings:agenda_slots", args=[meeting.pk]), {"choice": "apply"})
    page = client.get(meeting.get_absolute_url()).content.decode()

    assert response.status_code == 302
    assert _slots(meeting, "b1.governance_chains") == _benchmarking(five)
    assert "joined the cluster" not in page
    assert "The agenda was re-planned for the cluster&#x27;s organisations." in page


@time_machine.travel(TODAY, tick=False)
def test_planner_keeps_the_agenda_and_the_offer_goes(five):
    meeting = five.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    _invited(meeting)
    programme_services.add_organisation_to_cluster(
        cluster=five, organisation=OrganisationFactory(name="Ödeshögs kommun")
    )

    client_for(five.key_person).post(
        reverse("meetings:agenda_slots", args=[meeting.pk]), {"choice": "keep"}
    )

    meeting.refresh_from_db()
    assert "Ödeshögs kommun" not in _slots(meeting, "b1.governance_chains")
    assert not slots.slot_change(meeting, memberships_of(five))


@time_machine.travel(TODAY, tick=False)
def test_htmx_apply_returns_the_agenda(five):
    meeting = five.meetings.get(kind=MeetingKind.BENCHMARKING_2)
    _invited(meeting)
    leaving = five.memberships.filter(is_mentor=False).first().organisation
    programme_services.remove_organisation_from_cluster(cluster=five, organisation=leaving)

    response = client_for(five.key_person).post(
        reverse("meetings:agenda_slots", args=[meeting.pk]),
        {"choice": "apply"},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert content.strip().startswith('<div id="agenda">')
    assert leaving.name not in _slots(meeting, "b2.progress")
    assert leaving.name not in _slots(meeting, "b2.systems")
    assert leaving.name not in content


@pytest.mark.parametrize(
    ("user", "status"), [("official", 403), ("outsider", 404), ("key_person", 302)]
)
def test_slot_choice_is_for_the_meetings_planners(five, user, status):
    meeting = five.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    outsider = UserFactory()
    other = make_cluster(five.programme, organisations=2)
    AssignmentFactory(
        programme=five.programme,
        person=outsider,
        organisation=other.memberships.first().organisation,
        role=Role.KEY_PERSON,
    )
    person = {"official": five.official, "outsider": outsider, "key_person": five.key_person}

    response = client_for(person[user]).post(
        reverse("meetings:agenda_slots", args=[meeting.pk]), {"choice": "apply"}
    )

    assert response.status_code == status


@time_machine.travel(TODAY, tick=False)
def test_leaving_before_invitations_removes_the_slot_and_the_day_shrinks(five):
    meeting = five.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    leaving = five.memberships.filter(is_mentor=False).first().organisation

    programme_services.remove_organisation_from_cluster(cluster=five, organisation=leaving)

    assert _slots(meeting, "b1.governance_chains") == _benchmarking(five)
    assert len(_benchmarking(five)) == 4
    assert _times(meeting)["Lunch"] == ("13:00", "14:00")


@time_machine.travel(TODAY, tick=False)
def test_replanning_keeps_what_the_planner_edited_and_removed(five):
    meeting = five.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    first, second, *_ = meeting.agenda_items.filter(model_key="b1.governance_chains")
    services.save_agenda_item(meeting, first, duration=20)
    services.delete_agenda_item(second)

    programme_services.add_organisation_to_cluster(
        cluster=five, organisation=OrganisationFactory(name="Ödeshögs kommun")
    )

    items = list(meeting.agenda_items.filter(model_key="b1.governance_chains"))
    assert items[0].pk == first.pk
    assert items[0].duration == 20
    assert second.slot_organisation.name not in [i.slot_organisation.name for i in items]
    assert items[-1].slot_organisation.name == "Ödeshögs kommun"
    positions = list(meeting.agenda_items.values_list("position", flat=True))
    assert positions == list(range(len(positions)))


@time_machine.travel(TODAY, tick=False)
def test_the_host_goes_last_in_meeting_2_rounds_and_first_in_meeting_1(five):
    host = five.memberships.filter(is_mentor=False).order_by("organisation__name").first()
    meeting_1 = five.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    meeting_2 = five.meetings.get(kind=MeetingKind.BENCHMARKING_2)
    last = _benchmarking(five)[-1]
    host_last = five.memberships.get(organisation__name=last).organisation

    plan(meeting_1, MEETING_DAY, at=TODAY, host=host_last)
    plan(meeting_2, MEETING_DAY, at=TODAY, host=host.organisation)

    assert _slots(meeting_1, "b1.governance_chains")[0] == last
    assert _slots(meeting_2, "b2.progress")[-1] == host.organisation.name
    assert _slots(meeting_2, "b2.key_figures")[-1] == host.organisation.name


def test_item_added_by_a_planner_keeps_no_model_key(five):
    meeting = five.meetings.get(kind=MeetingKind.BENCHMARKING_3)

    item = services.save_agenda_item(meeting, None, title="Extra", duration=10, format="plenary")

    assert AgendaItem.objects.get(pk=item.pk).model_key == ""
    assert _slots(meeting, "b3.follow_up") == [*_benchmarking(five), five.mentor.name]


def test_the_mentor_cannot_leave_its_cluster(five):
    with pytest.raises(ValidationError):
        programme_services.remove_organisation_from_cluster(cluster=five, organisation=five.mentor)

    assert five.memberships.filter(organisation=five.mentor).exists()
