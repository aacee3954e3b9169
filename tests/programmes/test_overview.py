import datetime

import pytest
import time_machine
from django.urls import reverse

from checklists import services as checklist_services
from meetings.enums import Attendance
from meetings.models import Registration
from outbox.models import OutgoingMail
from plans import services as plan_services
from programmes.enums import Role

from ..checklists.conftest import fill
from ..conftest import client_for
from ..factories import AssignmentFactory, ProgrammeFactory, UserFactory, make_cluster

TZ = datetime.UTC


def _url(programme, **query):
    url = reverse("programmes:programme_overview", kwargs={"pk": programme.pk})
    return url + (f"?status={query['status']}" if query else "")


def _date(meeting, day):
    meeting.starts_at = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=TZ)
    meeting.ends_at = datetime.datetime.combine(day, datetime.time(16), tzinfo=TZ)
    meeting.save()


@pytest.fixture
def overview_world(world, rounds):
    meetings = list(world.cluster.meetings.order_by("sequence"))
    _date(meetings[0], datetime.date(2026, 10, 1))  # held, evaluation sent
    _date(meetings[1], datetime.date(2026, 12, 1))  # invited
    _date(meetings[2], datetime.date(2027, 2, 1))  # planned
    registration = Registration.objects.create(
        meeting=meetings[0],
        person=world.participant,
        organisation=world.benchmarking_organisation,
        attendance=Attendance.IN_PERSON,
        answered_at=datetime.datetime(2026, 9, 20, tzinfo=TZ),
        evaluation_sent_at=datetime.datetime(2026, 10, 2, tzinfo=TZ),
    )
    Registration.objects.create(meeting=meetings[0], person=world.key_person)
    OutgoingMail.objects.create(
        purpose="meeting_invitation",
        to_email="x@kommun.example",
        subject="Inbjudan",
        body_text="Hej",
        meeting=meetings[1],
    )
    assessment = checklist_services.start_assessment(rounds[0], world.mentor)
    fill(assessment, lambda s: 2)
    checklist_services.submit_assessment(assessment, user=None)
    plan_services.create_action(world.programme, world.mentor, user=None, title="A")
    plan_services.create_action(world.programme, world.mentor, user=None, title="B", status="done")
    return meetings, registration


def test_overview_shows_each_clusters_meetings_assessments_and_actions(overview_world, world):
    with time_machine.travel(datetime.datetime(2026, 11, 23, tzinfo=TZ), tick=False):
        response = client_for(world.project_manager).get(_url(world.programme))

    overview = response.context["overview"]
    row = next(r for r in overview.clusters if r.cluster == world.cluster)
    assert [c.status for c in row.meetings] == ["evaluated", "invited", "planned", "not_planned"]
    assert (row.meetings[0].answered, row.meetings[0].invited, row.meetings[0].attending) == (
        1,
        2,
        1,
    )
    assert row.meetings[0].response_rate == 0
    assert [(r.name, n) for r, n in row.assessments] == [
        ("Nulägesbedömning", 1),
        ("Uppföljning", 0),
    ]
    assert dict(row.actions)["Planerad"] == 1
    assert dict(row.actions)["Klart"] == 1
    html = response.content.decode()
    assert "Utvärderad" in html and "Inbjuden" in html


def test_filter_by_status_keeps_matching_clusters(overview_world, world):
    with time_machine.travel(datetime.datetime(2026, 11, 23, tzinfo=TZ), tick=False):
        response = client_for(world.project_manager).get(_url(world.programme, status="invited"))

    assert [r.cluster for r in response.context["overview"].clusters] == [world.cluster]


@pytest.mark.parametrize("clusters", [2, 20])
def test_overview_queries_do_not_grow_with_clusters(db, clusters, django_assert_num_queries):
    programme = ProgrammeFactory()
    for _ in range(clusters):
        cluster = make_cluster(programme, organisations=3)
        for membership in cluster.memberships.all():
            plan_services.create_action(programme, membership.organisation, user=None, title="A")
    manager = UserFactory()
    AssignmentFactory(programme=programme, person=manager, role=Role.PROJECT_MANAGER)
    client = client_for(manager)

    with django_assert_num_queries(14):
        response = client.get(_url(programme))

    assert len(response.context["overview"].clusters) == clusters
