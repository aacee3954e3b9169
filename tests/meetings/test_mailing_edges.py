"""Edge cases of the meeting mails found in review: each once a real defect."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import mailings, services
from meetings.enums import MeetingKind
from meetings.models import Registration
from outbox.enums import MailPurpose
from outbox.models import OutgoingMail
from programmes import services as programme_services
from programmes.enums import Role
from programmes.models import Assignment

from ..conftest import client_for
from .conftest import plan

START = datetime.datetime(2027, 2, 16, 8, 30, tzinfo=datetime.UTC)
INVITATION_DAY = START - datetime.timedelta(days=14)
REMINDER_DAY = START - datetime.timedelta(days=7)


@pytest.fixture
def meeting(world):
    meeting = world.cluster.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    plan(meeting, START.date(), host=world.mentor)
    return meeting


def _recipients(purpose):
    return {m.recipient for m in OutgoingMail.objects.filter(purpose=purpose)}


def test_removing_the_date_after_invitations_is_refused(meeting):
    mailings.dispatch_due(INVITATION_DAY)

    with pytest.raises(ValidationError) as error, time_machine.travel(INVITATION_DAY):
        services.plan_meeting(
            meeting,
            date=None,
            start_time=None,
            end_time=None,
            host=None,
            venue="",
            venue_address="",
            remote_link="",
            accessibility=[],
        )

    assert "date" in error.value.error_dict
    meeting.refresh_from_db()
    assert meeting.starts_at is not None


def test_people_whose_role_ended_get_no_reminder_or_evaluation(world, meeting):
    mailings.dispatch_due(INVITATION_DAY)
    programme_services.end_assignment(world.participant.assignments.get())

    mailings.dispatch_due(REMINDER_DAY)
    mailings.dispatch_due(START + datetime.timedelta(hours=8))

    assert world.participant not in _recipients(MailPurpose.REGISTRATION_REMINDER)
    assert world.key_person in _recipients(MailPurpose.REGISTRATION_REMINDER)
    assert world.participant in _recipients(MailPurpose.MEETING_INVITATION)


def test_key_person_with_a_second_role_gets_the_organiser_reminder(world, meeting):
    Assignment.objects.filter(person=world.key_person).delete()
    Assignment.objects.create(
        programme=world.programme,
        person=world.key_person,
        organisation=world.mentor,
        role=Role.ELECTED_OFFICIAL,
    )
    Assignment.objects.create(
        programme=world.programme,
        person=world.key_person,
        organisation=world.mentor,
        role=Role.KEY_PERSON,
    )
    mailings.dispatch_due(INVITATION_DAY)

    mailings.dispatch_due(REMINDER_DAY)

    assert _recipients(MailPurpose.ORGANISER_REMINDER) == {world.key_person}


def test_late_invitation_comes_without_an_instant_reminder(world):
    meeting = world.cluster.meetings.get(kind=MeetingKind.BENCHMARKING_2)
    three_days_before = START - datetime.timedelta(days=3)
    plan(meeting, START.date(), at=three_days_before - datetime.timedelta(hours=1))

    mailings.dispatch_due(three_days_before)

    assert OutgoingMail.objects.filter(purpose=MailPurpose.MEETING_INVITATION).exists()
    assert not OutgoingMail.objects.filter(purpose=MailPurpose.REGISTRATION_REMINDER).exists()


def test_project_manager_copy_speaks_the_managers_language(world, meeting):
    world.project_manager.language = "en"
    world.project_manager.save()

    mailings.dispatch_due(INVITATION_DAY)

    copy = OutgoingMail.objects.get(purpose=MailPurpose.MEETING_INVITATION_COPY)
    assert copy.subject.startswith("Copy: Invitation: Benchmarking meeting 1")
    assert "Tuesday 16 February 2027" in copy.body_text
    assert '<html lang="en">' in copy.body_html


def test_out_of_date_invitation_is_not_sent_again(world, meeting):
    mailings.dispatch_due(INVITATION_DAY)
    old = OutgoingMail.objects.filter(purpose=MailPurpose.MEETING_INVITATION).first()
    OutgoingMail.objects.filter(pk=old.pk).update(state="failed")
    plan(meeting, START.date(), host=world.mentor, venue="Nytt rum", at=INVITATION_DAY)

    client_for(world.key_person).post(reverse("meetings:mail_resend", kwargs={"pk": old.pk}))

    old.refresh_from_db()
    assert old.state == "failed"


def test_personal_link_page_speaks_the_invitees_language(client, world, meeting):
    world.participant.language = "en"
    world.participant.save()
    mailings.dispatch_due(INVITATION_DAY)
    registration = Registration.objects.get(meeting=meeting, person=world.participant)

    with time_machine.travel(INVITATION_DAY):
        response = client.get(registration.get_absolute_url())

    assert response.headers["Content-Language"] == "en"
    assert "Will you come?" in response.content.decode()
