import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from meetings import mailings
from meetings.enums import MeetingKind
from meetings.models import EvaluationAnswer, Registration
from outbox.enums import MailPurpose
from outbox.models import OutgoingMail

from ..conftest import client_for
from .conftest import plan

START = datetime.datetime(2027, 2, 16, 8, 30, tzinfo=datetime.UTC)
END = datetime.datetime(2027, 2, 16, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def meeting(world):
    meeting = world.cluster.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    plan(meeting, START.date(), host=world.mentor)
    mailings.dispatch_due(START - datetime.timedelta(days=14))
    return meeting


def _purpose_count(purpose):
    return OutgoingMail.objects.filter(purpose=purpose).count()


def test_reminder_goes_once_to_those_who_have_not_answered(world, meeting):
    answered = Registration.objects.get(meeting=meeting, person=world.key_person)
    answered.attendance = "in_person"
    answered.save()
    seven_days_before = START - datetime.timedelta(days=7)

    mailings.dispatch_due(seven_days_before - datetime.timedelta(hours=1))
    assert _purpose_count(MailPurpose.REGISTRATION_REMINDER) == 0
    mailings.dispatch_due(seven_days_before)
    mailings.dispatch_due(seven_days_before + datetime.timedelta(days=1))

    reminders = OutgoingMail.objects.filter(purpose=MailPurpose.REGISTRATION_REMINDER)
    assert [m.recipient for m in reminders] == [world.participant]


def test_key_persons_are_reminded_of_open_organiser_tasks(world, meeting):
    mailings.dispatch_due(START - datetime.timedelta(days=7))

    reminder = OutgoingMail.objects.get(purpose=MailPurpose.ORGANISER_REMINDER)
    assert reminder.recipient == world.key_person
    first_task = meeting.checklist_tasks.first()
    assert first_task.text in reminder.body_text


def test_evaluation_link_after_the_meeting_and_one_reminder_to_those_who_did_not_answer(
    world, meeting
):
    mailings.dispatch_due(END - datetime.timedelta(minutes=1))
    assert _purpose_count(MailPurpose.EVALUATION) == 0

    mailings.dispatch_due(END + datetime.timedelta(minutes=5))
    mailings.dispatch_due(END + datetime.timedelta(hours=1))
    links = OutgoingMail.objects.filter(purpose=MailPurpose.EVALUATION)
    assert links.count() == 2  # both participants of the cluster
    registration = Registration.objects.get(meeting=meeting, person=world.participant)
    assert f"/e/{registration.token}/" in links.get(recipient=world.participant).body_text

    EvaluationAnswer.objects.create(
        registration=Registration.objects.get(meeting=meeting, person=world.key_person),
        ratings={"purpose": 5},
    )
    mailings.dispatch_due(END + datetime.timedelta(days=5, hours=1))
    mailings.dispatch_due(END + datetime.timedelta(days=6))

    reminders = OutgoingMail.objects.filter(purpose=MailPurpose.EVALUATION_REMINDER)
    assert [m.recipient for m in reminders] == [world.participant]


def test_external_evaluation_form_is_linked_and_not_reminded(world, meeting):
    world.programme.evaluation_form_url = "https://forms.example.se/skr-utvardering"
    world.programme.save()

    mailings.dispatch_due(END + datetime.timedelta(minutes=5))
    mailings.dispatch_due(END + datetime.timedelta(days=6))

    link = OutgoingMail.objects.filter(purpose=MailPurpose.EVALUATION).first()
    assert "https://forms.example.se/skr-utvardering" in link.body_text
    assert _purpose_count(MailPurpose.EVALUATION_REMINDER) == 0


def _evaluate(client, registration, rating="4", comment="Bra träff"):
    data = {
        f"q_{key}": rating
        for key in ("purpose", "learning", "exchange", "improvement", "organisation")
    }
    return client.post(
        reverse("meetings:evaluation", args=[registration.token]), {**data, "comment": comment}
    )


def test_participant_evaluates_once_and_manager_sees_results(client, world, meeting):
    registration = Registration.objects.get(meeting=meeting, person=world.participant)

    with time_machine.travel(END + datetime.timedelta(hours=2), tick=False):
        first = _evaluate(client, registration, rating="4")
        second = _evaluate(client, registration, rating="1")
        page = client_for(world.project_manager).get(
            reverse("meetings:programme_evaluations", kwargs={"pk": world.programme.pk})
        )

    results = page.context["results"]
    (result,) = results.meetings
    assert first.status_code == 302
    assert second.status_code == 409
    assert EvaluationAnswer.objects.get().ratings["purpose"] == 4
    assert (result.asked, result.answered, result.response_rate) == (2, 1, 50)
    assert {q.key: v for q, v in result.means}["purpose"] == 4
    assert [r.person for r in result.missing] == [world.key_person]
    trend = {q.key: values for q, values in results.trend}
    assert trend["purpose"] == [None, 4, None, None]
    assert results.clusters == [(world.cluster.name, [4, 4, 4, 4, 4])]
    assert "Bra träff" in page.content.decode()


def test_evaluation_before_the_meeting_ends_is_refused(client, world, meeting):
    registration = Registration.objects.get(meeting=meeting, person=world.participant)

    with time_machine.travel(START, tick=False):
        response = _evaluate(client, registration)

    assert response.status_code == 409
    assert not EvaluationAnswer.objects.exists()


def test_evaluation_with_a_missing_rating_gets_a_message(client, world, meeting):
    registration = Registration.objects.get(meeting=meeting, person=world.participant)

    with time_machine.travel(END + datetime.timedelta(hours=2), tick=False):
        response = client.post(
            reverse("meetings:evaluation", args=[registration.token]),
            {"q_purpose": "9", "comment": "x"},
        )

    assert response.status_code == 200
    assert response.context["form"].errors["q_purpose"]
    assert response.context["form"].errors["q_learning"]


def test_participant_list_excel_never_turns_input_into_formulas(world, meeting):
    registration = Registration.objects.get(meeting=meeting, person=world.participant)
    registration.attendance = "in_person"
    registration.diet_other = '=HYPERLINK("http://evil.example","klicka")'
    registration.accessibility = "+46 70 123"
    registration.save()

    response = client_for(world.project_manager).get(
        reverse("meetings:registrations_xlsx", kwargs={"pk": meeting.pk})
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    cell = next(
        c
        for row in sheet.iter_rows()
        for c in row
        if c.value and str(c.value).startswith("=HYPERLINK")
    )
    assert rows[0][0] == "Namn"
    assert cell.data_type == "s"
    assert sheet.freeze_panes == "A2"
    assert any(r[0] == world.participant.full_name for r in rows[1:])


def test_results_skip_ratings_that_are_not_whole_numbers_from_one_to_five(world, meeting):
    registration = Registration.objects.get(meeting=meeting, person=world.participant)
    EvaluationAnswer.objects.create(
        registration=registration, ratings={"purpose": True, "learning": 9, "exchange": 4}
    )

    with time_machine.travel(END + datetime.timedelta(hours=2), tick=False):
        page = client_for(world.project_manager).get(
            reverse("meetings:programme_evaluations", kwargs={"pk": world.programme.pk})
        )

    (result,) = page.context["results"].meetings
    means = {q.key: v for q, v in result.means}
    assert page.status_code == 200
    assert (means["purpose"], means["learning"], means["exchange"]) == (None, None, 4)
