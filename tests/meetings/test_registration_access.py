"""Who may see and give special needs (issue 17): pages with named needs are never stored by
a cache, a registration link dies with the person's role, and the named list cannot be
reached by making one's own organisation the host."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import registrations
from meetings.enums import MeetingKind
from meetings.models import Registration
from programmes.enums import Role
from programmes.models import Assignment

from ..conftest import client_for
from ..factories import UserFactory
from .conftest import INVITED_BEFORE, INVITED_START, plan

START = INVITED_START
BEFORE = INVITED_BEFORE
SENTINEL = "sentinel-kost-41d0e2"


@pytest.fixture
def meeting(invited_meeting):
    return invited_meeting


@pytest.fixture
def registration(world, meeting):
    registration = Registration.objects.get(meeting=meeting, person=world.participant)
    registration.attendance = "in_person"
    registration.diet_other = SENTINEL
    registration.save()
    return registration


@pytest.fixture
def other_key_person(world):
    """The key person of the cluster's other organisation: plans the meeting, does not host it."""
    person = UserFactory(full_name="Nils Nyckelperson")
    Assignment.objects.create(
        programme=world.programme,
        person=person,
        organisation=world.benchmarking_organisation,
        role=Role.KEY_PERSON,
    )
    return person


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def _answer(client, registration, **data):
    payload = {"attendance": "in_person", **data}
    return client.post(
        reverse("meetings:registration", kwargs={"token": registration.token}), payload
    )


def _end_role(person):
    Assignment.objects.filter(person=person).update(ended_at=BEFORE - datetime.timedelta(days=1))


def _plan_form(meeting, **changes):
    return {
        "date": START.date().isoformat(),
        "start_time": "09:30",
        "end_time": "16:00",
        "host": meeting.host_id or "",
        "venue": meeting.venue,
        "venue_address": "",
        "remote_link": "",
        **changes,
    }


# --- Cache-Control: pages and files with named special needs -------------------------------


@time_machine.travel(BEFORE, tick=False)
def test_registration_page_is_never_stored(client, registration):
    response = client.get(registration.get_absolute_url())

    assert response.status_code == 200
    assert {"no-store", "private"} <= _directives(response)


@time_machine.travel(BEFORE, tick=False)
def test_registrations_page_is_never_stored(world, meeting, registration):
    response = client_for(world.key_person).get(
        reverse("meetings:meeting_registrations", kwargs={"pk": meeting.pk})
    )

    assert response.status_code == 200
    assert SENTINEL in response.content.decode()
    assert {"no-store", "private"} <= _directives(response)


@time_machine.travel(BEFORE, tick=False)
def test_registrations_xlsx_is_never_stored(world, meeting, registration):
    response = client_for(world.key_person).get(
        reverse("meetings:registrations_xlsx", kwargs={"pk": meeting.pk})
    )

    assert response.status_code == 200
    assert {"no-store", "private"} <= _directives(response)


# --- A registration link dies with the person's role ---------------------------------------


@time_machine.travel(BEFORE, tick=False)
def test_registration_link_after_the_role_ended_shows_nothing(client, world, registration):
    _end_role(world.participant)

    response = client.get(registration.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 410
    assert response.templates[0].name == "meetings/registration_ended.html"
    assert SENTINEL not in page
    assert world.participant.full_name not in page
    assert "form" not in response.context


@time_machine.travel(BEFORE, tick=False)
def test_registration_link_after_the_role_ended_accepts_nothing(client, world, registration):
    _end_role(world.participant)

    response = _answer(client, registration, diets=["vegan"], other_needs="Rullstol")

    registration.refresh_from_db()
    assert response.status_code == 410
    assert (registration.diets, registration.other_needs, registration.diet_other) == (
        [],
        "",
        SENTINEL,
    )


@time_machine.travel(BEFORE, tick=False)
def test_registration_link_after_the_role_ended_speaks_the_persons_language(
    client, world, registration
):
    world.participant.language = "en"
    world.participant.save()
    _end_role(world.participant)

    response = client.get(registration.get_absolute_url())

    assert response.status_code == 410
    assert "no longer has a role in the cluster" in response.content.decode()


@time_machine.travel(BEFORE, tick=False)
def test_answer_after_the_role_ended_is_refused(world, registration):
    _end_role(world.participant)

    with pytest.raises(ValidationError) as error:
        registrations.answer(registration, attendance="in_person", diets=["vegan"])

    assert error.value.code == "role_ended"

    registration.refresh_from_db()
    assert registration.diets == []


@time_machine.travel(BEFORE, tick=False)
def test_registration_link_with_a_new_role_in_the_cluster_still_works(client, world, registration):
    _end_role(world.participant)
    Assignment.objects.create(
        programme=world.programme,
        person=world.participant,
        organisation=world.benchmarking_organisation,
        role=Role.MANAGER,
    )

    response = _answer(client, registration, diets=["vegan"])

    assert response.status_code == 302


# --- The host, and so the named list, cannot be taken over by a planner --------------------


@time_machine.travel(BEFORE, tick=False)
def test_planner_cannot_make_own_organisation_host_after_registrations(
    world, meeting, registration, other_key_person
):
    client = client_for(other_key_person)

    response = client.post(
        reverse("meetings:meeting_plan", kwargs={"pk": meeting.pk}),
        _plan_form(meeting, host=world.benchmarking_organisation.pk),
    )
    listing = client.get(reverse("meetings:meeting_registrations", kwargs={"pk": meeting.pk}))
    workbook = client.get(reverse("meetings:registrations_xlsx", kwargs={"pk": meeting.pk}))

    meeting.refresh_from_db()
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["host"]] == ["host_locked"]
    assert meeting.host == world.mentor
    assert listing.status_code == 200
    assert listing.context["registrations"] is None
    assert listing.context["summary"].in_person == 1  # the counts stay with the planners
    assert world.participant.full_name not in listing.content.decode()
    assert world.participant.email not in listing.content.decode()
    assert workbook.status_code == 403


@time_machine.travel(BEFORE, tick=False)
def test_planner_cannot_remove_the_host_after_registrations(world, meeting, registration):
    response = client_for(world.key_person).post(
        reverse("meetings:meeting_plan", kwargs={"pk": meeting.pk}), _plan_form(meeting, host="")
    )

    meeting.refresh_from_db()
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["host"]] == ["host_locked"]
    assert meeting.host == world.mentor


@time_machine.travel(BEFORE, tick=False)
def test_planner_keeps_planning_the_rest_after_registrations(world, meeting, other_key_person):
    response = client_for(other_key_person).post(
        reverse("meetings:meeting_plan", kwargs={"pk": meeting.pk}),
        _plan_form(meeting, venue="Nytt rum"),
    )

    meeting.refresh_from_db()
    assert response.status_code == 302
    assert (meeting.venue, meeting.host) == ("Nytt rum", world.mentor)


@time_machine.travel(BEFORE, tick=False)
def test_planner_may_change_the_host_before_anyone_is_invited(world, other_key_person):
    meeting = world.cluster.meetings.get(kind=MeetingKind.BENCHMARKING_2)
    plan(meeting, START.date(), host=world.mentor, at=BEFORE)

    response = client_for(other_key_person).post(
        reverse("meetings:meeting_plan", kwargs={"pk": meeting.pk}),
        _plan_form(meeting, host=world.benchmarking_organisation.pk),
    )

    meeting.refresh_from_db()
    assert response.status_code == 302
    assert meeting.host == world.benchmarking_organisation


@time_machine.travel(BEFORE, tick=False)
def test_project_manager_changes_the_host_and_the_change_is_recorded(
    world, meeting, registration, other_key_person
):
    response = client_for(world.project_manager).post(
        reverse("meetings:meeting_plan", kwargs={"pk": meeting.pk}),
        _plan_form(meeting, host=world.benchmarking_organisation.pk),
    )
    new_host = client_for(other_key_person).get(
        reverse("meetings:registrations_xlsx", kwargs={"pk": meeting.pk})
    )
    old_host = client_for(world.key_person).get(
        reverse("meetings:registrations_xlsx", kwargs={"pk": meeting.pk})
    )

    meeting.refresh_from_db()
    entry = LogEntry.objects.get_for_object(meeting).order_by("-timestamp", "-pk").first()
    assert response.status_code == 302
    assert meeting.host == world.benchmarking_organisation
    assert entry.actor == world.project_manager
    assert "host" in entry.changes_dict
    # Who sees the named needs follows the host at the time they look.
    sheet = openpyxl.load_workbook(io.BytesIO(new_host.content)).active
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row]
    assert new_host.status_code == 200
    assert SENTINEL in cells
    assert old_host.status_code == 403


@time_machine.travel(BEFORE, tick=False)
def test_plan_page_tells_a_planner_who_may_change_the_host(world, meeting, registration):
    planner = client_for(world.key_person).get(
        reverse("meetings:meeting_plan", kwargs={"pk": meeting.pk})
    )
    manager = client_for(world.project_manager).get(
        reverse("meetings:meeting_plan", kwargs={"pk": meeting.pk})
    )

    assert planner.context["form"].fields["host"].help_text != ""
    assert manager.context["form"].fields["host"].help_text == ""
