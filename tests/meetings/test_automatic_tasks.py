"""Organiser tasks the product does itself are ticked off by the product, never overdue."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from meetings import mailings, services
from meetings.enums import AutomaticTask, MeetingKind
from meetings.models import ChecklistTask
from meetings.selectors import overdue_tasks
from programmes.models import Cluster

from ..conftest import client_for
from .conftest import plan

START = datetime.datetime(2027, 2, 16, 8, 30, tzinfo=datetime.UTC)
END = datetime.datetime(2027, 2, 16, 15, 0, tzinfo=datetime.UTC)
INVITATION_DAY = START - datetime.timedelta(days=14)


@pytest.fixture
def meeting(world):
    meeting = world.cluster.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    plan(meeting, START.date(), host=world.mentor)
    return meeting


def _automatic(meeting) -> dict[str, ChecklistTask]:
    return {t.automatic: t for t in meeting.checklist_tasks.exclude(automatic="")}


def test_the_model_marks_invitation_registration_and_evaluation(meeting):
    tasks = _automatic(meeting)

    assert sorted(tasks) == sorted(AutomaticTask.values)
    assert tasks["invitation"].text.startswith("Skicka inbjudan")
    assert tasks["registration"].text.startswith("Ordna anmälan")
    assert tasks["evaluation"].text.startswith("Mentororganisationen skickar länken")


def test_invitations_tick_the_invitation_and_registration_tasks(meeting):
    with time_machine.travel(INVITATION_DAY, tick=False):
        mailings.dispatch_due(INVITATION_DAY)

    tasks = _automatic(meeting)
    assert (tasks["invitation"].done_at, tasks["invitation"].done_automatically) == (
        INVITATION_DAY,
        True,
    )
    assert tasks["invitation"].done_by is None
    assert tasks["registration"].done_automatically is True
    assert tasks["evaluation"].done_at is None
    assert meeting.checklist_tasks.filter(automatic="", done_at__isnull=False).count() == 0


def test_evaluation_links_tick_the_evaluation_task(meeting):
    mailings.dispatch_due(INVITATION_DAY)
    moment = END + datetime.timedelta(minutes=5)

    with time_machine.travel(moment, tick=False):
        mailings.dispatch_due(moment)

    task = _automatic(meeting)["evaluation"]
    assert (task.done_at, task.done_automatically, task.done_by) == (moment, True, None)


def test_a_run_after_the_invitations_writes_nothing_again(meeting):
    mailings.dispatch_due(INVITATION_DAY)
    first = _automatic(meeting)["invitation"].done_at

    mailings.dispatch_due(INVITATION_DAY + datetime.timedelta(hours=1))

    assert _automatic(meeting)["invitation"].done_at == first


def test_automatic_tasks_are_never_overdue(world, meeting):
    """Even before the product has done them: a person has nothing to do there."""
    with time_machine.travel(START - datetime.timedelta(days=2), tick=False):
        overdue = overdue_tasks(world.cluster)
        tasks = _automatic(meeting)

    assert overdue
    assert [t.automatic for t in overdue] == [""] * len(overdue)
    assert not any(task.is_overdue for task in tasks.values())


def test_meeting_page_says_done_automatically(world, meeting):
    mailings.dispatch_due(INVITATION_DAY)
    world.key_person.language = "en"
    world.key_person.save()

    with time_machine.travel(INVITATION_DAY + datetime.timedelta(days=1), tick=False):
        page = client_for(world.key_person).get(meeting.get_absolute_url()).content.decode()

    assert "done automatically on" in page
    assert "Jämbench does this itself" in page  # the evaluation link, not sent yet


def test_a_planner_unticking_a_task_undoes_the_automatic_mark(world, meeting):
    mailings.dispatch_due(INVITATION_DAY)
    task = _automatic(meeting)["invitation"]

    services.set_task_done(task, done=False, user=world.key_person)
    services.set_task_done(task, done=True, user=world.key_person)

    task.refresh_from_db()
    assert (task.done_by, task.done_automatically) == (world.key_person, False)


DEMO_TODAY = datetime.datetime(2026, 12, 1, 7, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "days_later",
    [0, 25, 60],  # the day of seeding, after the start-up meeting, later in the programme
)
def test_demo_cluster_pages_list_no_overdue_task_the_product_does(db, days_later):
    with time_machine.travel(DEMO_TODAY, tick=False):
        call_command("seed_demo")
    moment = DEMO_TODAY + datetime.timedelta(days=days_later)
    with time_machine.travel(moment, tick=False):
        mailings.dispatch_due(moment)  # what the periodic job has done by then
        for cluster in Cluster.objects.all():
            mentor = cluster.memberships.get(is_mentor=True).organisation
            key_person = mentor.assignments.filter(role="key_person").first().person
            page = client_for(key_person).get(
                reverse("programmes:cluster_detail", kwargs={"pk": cluster.pk})
            )
            listed = overdue_tasks(cluster)
            product_tasks = ChecklistTask.objects.filter(meeting__cluster=cluster).exclude(
                automatic=""
            )

            assert page.status_code == 200
            assert [t.automatic for t in listed] == [""] * len(listed)
            assert listed  # people still have things to do, and see them
            for text in {t.text for t in product_tasks}:
                assert text not in page.content.decode()
