import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from django.apps import apps
from django.db import models
from django.urls import reverse

from meetings import registrations
from meetings.models import Registration
from programmes.enums import Role
from programmes.models import Assignment

from ..conftest import client_for
from ..factories import UserFactory
from .conftest import INVITED_BEFORE, INVITED_START

START = INVITED_START
BEFORE = INVITED_BEFORE
SENTINEL = "sentinel-kost-7f3a9c"


@pytest.fixture
def meeting(invited_meeting):
    return invited_meeting


def _answer(client, registration, **data):
    payload = {"attendance": "in_person", **data}
    return client.post(
        reverse("meetings:registration", kwargs={"token": registration.token}), payload
    )


@time_machine.travel(BEFORE, tick=False)
def test_participant_registers_with_special_needs_without_logging_in(client, world, meeting):
    registration = Registration.objects.get(meeting=meeting, person=world.participant)

    response = _answer(
        client,
        registration,
        diets=["vegetarian", "gluten_free"],
        diet_other="Inga nötter",
        hearing_loop="on",
    )

    registration.refresh_from_db()
    assert response.status_code == 302
    assert (registration.attendance, registration.diets, registration.hearing_loop) == (
        "in_person",
        ["vegetarian", "gluten_free"],
        True,
    )
    assert registration.answered_at is not None


@time_machine.travel(BEFORE, tick=False)
def test_registration_without_an_answer_gets_a_message(client, world, meeting):
    registration = Registration.objects.get(meeting=meeting, person=world.participant)

    response = client.post(
        reverse("meetings:registration", kwargs={"token": registration.token}), {}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["attendance"]


def test_unknown_token_gets_a_clear_page(client, db):
    response = client.get(reverse("meetings:registration", kwargs={"token": "nope"}))

    assert response.status_code == 404
    assert "inte giltig" in response.content.decode()


def test_registration_after_the_meeting_is_refused_and_answer_kept(client, world, meeting):
    registration = Registration.objects.get(meeting=meeting, person=world.participant)
    with time_machine.travel(BEFORE, tick=False):
        _answer(client, registration)

    with time_machine.travel(START + datetime.timedelta(hours=1), tick=False):
        response = _answer(client, registration, attendance="not_attending")

    registration.refresh_from_db()
    assert response.status_code == 410
    assert "stängd" in response.content.decode()
    assert registration.attendance == "in_person"


@time_machine.travel(BEFORE, tick=False)
def test_not_attending_drops_special_needs(client, world, meeting):
    registration = Registration.objects.get(meeting=meeting, person=world.participant)
    _answer(client, registration, diets=["vegan"])

    _answer(client, registration, attendance="not_attending", diets=["vegan"])

    registration.refresh_from_db()
    assert registration.diets == []


@time_machine.travel(BEFORE, tick=False)
def test_host_key_person_sees_counts_and_names(client, world, meeting):
    registration = Registration.objects.get(meeting=meeting, person=world.participant)
    _answer(client, registration, diets=["vegetarian"], hearing_loop="on", diet_other=SENTINEL)

    response = client_for(world.key_person).get(
        reverse("meetings:meeting_registrations", kwargs={"pk": meeting.pk})
    )

    summary = response.context["summary"]
    assert (summary.in_person, summary.hearing_loop, summary.diets) == (1, 1, [("Vegetarisk", 1)])
    assert SENTINEL in response.content.decode()


@time_machine.travel(BEFORE, tick=False)
def test_planner_of_another_organisation_sees_the_needs_without_names(client, world, meeting):
    registration = Registration.objects.get(meeting=meeting, person=world.participant)
    _answer(client, registration, diet_other=SENTINEL)
    other_key_person = UserFactory()
    Assignment.objects.create(
        programme=world.programme,
        person=other_key_person,
        organisation=world.benchmarking_organisation,
        role=Role.KEY_PERSON,
    )

    response = client_for(other_key_person).get(
        reverse("meetings:meeting_registrations", kwargs={"pk": meeting.pk})
    )

    assert response.status_code == 200
    assert response.context["registrations"] is None
    # The caterer needs the allergy as written; nobody else needs to know whose it is.
    assert response.context["summary"].other_diets == [(SENTINEL, 1)]
    assert world.participant.full_name not in response.content.decode()
    assert world.participant.email not in response.content.decode()


def _tables_containing(text: str) -> list[str]:
    found = []
    for model in apps.get_models():
        lookups = models.Q()
        for field in model._meta.get_fields():
            if isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                lookups |= models.Q(**{f"{field.name}__icontains": text})
        if lookups and model.objects.filter(lookups).exists():
            found.append(model._meta.label)
    return found


def test_special_needs_leave_no_trace_after_the_retention_period(client, world, meeting):
    registration = Registration.objects.get(meeting=meeting, person=world.participant)
    with time_machine.travel(BEFORE, tick=False):
        _answer(
            client,
            registration,
            diets=["vegan"],
            diet_other=SENTINEL,
            accessibility=SENTINEL,
            other_needs=SENTINEL,
        )
    assert _tables_containing(SENTINEL) == ["meetings.Registration"]  # the audit log masks it

    with time_machine.travel(START + datetime.timedelta(days=29), tick=False):
        registrations.erase_special_needs(datetime.datetime.now(datetime.UTC))
    assert _tables_containing(SENTINEL) == ["meetings.Registration"]
    with time_machine.travel(START + datetime.timedelta(days=31), tick=False):
        erased = registrations.erase_special_needs(datetime.datetime.now(datetime.UTC))

    registration.refresh_from_db()
    assert erased >= 1
    assert _tables_containing(SENTINEL) == []
    assert (registration.diets, registration.attendance) == ([], "in_person")
    changes = LogEntry.objects.get_for_object(registration).first().changes_dict
    assert changes["diet_other"] == ["[hidden]", "[hidden]"]


def test_outbox_page_resends_a_failed_mail(
    world, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    from outbox.models import OutgoingMail

    mail = OutgoingMail.objects.filter(meeting=meeting).first()
    OutgoingMail.objects.filter(pk=mail.pk).update(state="failed", last_error="550 nej")
    client = client_for(world.key_person)

    page = client.get(reverse("meetings:meeting_outbox", kwargs={"pk": meeting.pk}))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:mail_resend", kwargs={"pk": mail.pk}))

    mail.refresh_from_db()
    assert "550 nej" in page.content.decode()
    assert mail.state == "sent"


def test_caterers_summary_gives_the_needs_as_written_without_names(world):
    def registration(attendance, **needs):
        return Registration(person=world.participant, attendance=attendance, **needs)

    summary = registrations.needs_summary(
        [
            registration("in_person", diets=["vegetarian"], diet_other="Nötallergi"),
            registration("in_person", diet_other="nötallergi ", accessibility="Rullstol"),
            registration("in_person", other_needs="Teckentolk", hearing_loop=True),
            registration("remote", diet_other="Glutenfri", other_needs="Textning"),
        ]
    )

    assert summary.diets == [("Vegetarisk", 1)]
    assert summary.other_diets == [("Nötallergi", 2)]
    assert summary.accessibility == [("Rullstol", 1)]
    assert summary.other_needs == [("Teckentolk", 1)]
    assert summary.hearing_loop == 1
