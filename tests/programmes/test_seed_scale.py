"""manage.py seed_scale: a large programme for load tests, and SKR's pages over it, whose
number of queries must not grow with the number of clusters."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists.enums import AssessmentStatus
from checklists.models import Answer, SelfAssessment
from meetings.models import AgendaItem, ChecklistTask, EvaluationAnswer, Meeting, Registration
from outbox.enums import MailState
from outbox.models import OutgoingMail
from plans.models import ImprovementAction
from programmes.enums import Role
from programmes.models import Assignment, Cluster, Organisation, Programme

from ..conftest import client_for

NOW = datetime.datetime(2027, 1, 20, 11, 0, tzinfo=datetime.UTC)
PASSWORD = "ett-skalprov-losenord"


@pytest.fixture(scope="module")
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _seed(clusters: int, *options: str) -> Programme:
    call_command(
        "seed_scale",
        "--clusters",
        str(clusters),
        "--password",
        PASSWORD,
        "--allow-without-debug",  # the test run has DEBUG off
        *options,
        stdout=StringIO(),
    )
    return Programme.objects.get(name=f"Skalprov {clusters} kluster")


def test_seed_scale_refuses_without_debug_unless_allowed(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_scale", "--clusters", "1", stdout=StringIO())

    assert not Programme.objects.exists()


def test_replace_never_deletes_a_programme_seed_scale_did_not_make(db):
    from ..factories import ProgrammeFactory

    real = ProgrammeFactory(name="Skalprov 1 kluster", description="SKR:s riktiga program")

    with pytest.raises(CommandError, match="not made by seed_scale"):
        _seed(1, "--replace")

    assert Programme.objects.get(pk=real.pk).description == "SKR:s riktiga program"


def _counts(programme) -> dict[str, int]:
    in_programme = {"meeting__cluster__programme": programme}
    return {
        "clusters": Cluster.objects.filter(programme=programme).count(),
        "organisations": Organisation.objects.filter(
            cluster_memberships__cluster__programme=programme
        ).count(),
        "people": Assignment.objects.filter(programme=programme, organisation__isnull=False)
        .values("person")
        .distinct()
        .count(),
        "meetings": Meeting.objects.filter(cluster__programme=programme).count(),
        "meetings without agenda": Meeting.objects.filter(
            cluster__programme=programme, agenda_items__isnull=True
        ).count(),
        "agenda items": AgendaItem.objects.filter(**in_programme).count(),
        "registrations": Registration.objects.filter(**in_programme).count(),
        "evaluations": EvaluationAnswer.objects.filter(
            registration__meeting__cluster__programme=programme
        ).count(),
        "open tasks of held meetings": ChecklistTask.objects.filter(
            **in_programme, done_at__isnull=True, meeting__starts_at__lt=NOW
        ).count(),
        "sent mails": OutgoingMail.objects.filter(**in_programme, state=MailState.SENT).count(),
        "submitted": SelfAssessment.objects.filter(
            round__programme=programme, status=AssessmentStatus.SUBMITTED
        ).count(),
        "drafts": SelfAssessment.objects.filter(
            round__programme=programme, status=AssessmentStatus.DRAFT
        ).count(),
        "answers": Answer.objects.filter(assessment__round__programme=programme).count(),
        "actions": ImprovementAction.objects.filter(programme=programme).count(),
        "action statuses": ImprovementAction.objects.filter(programme=programme)
        .values("status")
        .distinct()
        .count(),
    }


def test_seed_scale_creates_two_clusters_and_replaces_them_only_when_asked(db, frozen):
    programme = _seed(2)
    first = _counts(programme)
    names = list(get_user_model().objects.order_by("email").values_list("full_name", flat=True))

    with pytest.raises(CommandError, match="already exists"):
        _seed(2)
    replaced = _seed(2, "--replace")

    assert {key: first[key] for key in ("clusters", "organisations", "people", "meetings")} == {
        "clusters": 2,
        "organisations": 12,
        "people": 120,
        "meetings": 8,
    }
    assert first["meetings without agenda"] == 0
    assert min(first[key] for key in first if key != "meetings without agenda") > 0
    assert first["action statuses"] > 1
    # everyone in the cluster is registered for each meeting the invitations went out for
    per_meeting = Registration.objects.filter(meeting__cluster__programme=replaced).values(
        "meeting"
    )
    assert set(per_meeting.annotate(count=Count("id")).values_list("count", flat=True)) == {60}
    assert _counts(replaced) == first
    assert replaced.pk != programme.pk
    assert [Programme.objects.count(), Organisation.objects.count()] == [1, 12]
    # the same seed makes the same people again, under the same addresses
    again = get_user_model().objects.order_by("email").values_list("full_name", flat=True)
    assert list(again) == names


def test_seed_scale_gives_each_organisation_its_three_roles(db, frozen):
    programme = _seed(2)

    roles = Assignment.objects.filter(programme=programme).values_list(
        "organisation_id", "role", "is_substitute"
    )
    key_persons = [o for o, role, sub in roles if role == Role.KEY_PERSON and not sub]
    elected = {o for o, role, sub in roles if role == Role.ELECTED_OFFICIAL and not sub}
    managers = {o for o, role, sub in roles if role == Role.MANAGER and not sub}
    project_manager = Assignment.objects.get(programme=programme, role=Role.PROJECT_MANAGER)
    assert sorted(key_persons) == sorted(elected) == sorted(managers)
    assert len(key_persons) == 12
    assert project_manager.person.check_password(PASSWORD)


def test_seed_scale_prints_logins_whose_organisation_has_both_rounds(db, frozen):
    out = StringIO()
    call_command(
        "seed_scale", "--clusters", "1", "--password", PASSWORD, "--allow-without-debug", stdout=out
    )

    programme = Programme.objects.get(name="Skalprov 1 kluster")
    manager = Assignment.objects.get(programme=programme, role=Role.PROJECT_MANAGER).person
    mentor = programme.clusters.get().memberships.get(is_mentor=True).organisation
    key_person = Assignment.objects.get(
        organisation=mentor, role=Role.KEY_PERSON, is_substitute=False
    ).person
    printed = out.getvalue()
    assert f"SKR project manager: {manager.email}" in printed
    assert f"Key person (mentor of the first cluster): {key_person.email}" in printed
    assert f"Password for every seeded user: {PASSWORD}" in printed
    assert key_person.check_password(PASSWORD)
    assert mentor.self_assessments.count() == 2


# --- SKR's pages over 2 and 50 clusters ------------------------------------------------------


@pytest.fixture(scope="module")
def two_and_fifty(django_db_setup, django_db_blocker, frozen):
    """Seeded once for the module (seeding 50 clusters takes seconds), rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        seeded = [_seed(2), _seed(50)]
        managers = [
            Assignment.objects.get(programme=p, role=Role.PROJECT_MANAGER).person for p in seeded
        ]
        yield list(zip(seeded, managers, strict=True))
        transaction.set_rollback(True)


def _measure(url_name: str, programme, manager) -> tuple[int, str]:
    client = client_for(manager)
    url = reverse(url_name, kwargs={"pk": programme.pk})
    client.get(url)  # the first request fills caches (content types, the session)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "lists_every_cluster"),
    [
        ("programmes:programme_overview", True),
        ("checklists:programme_results", True),
        # lists the clusters that have evaluation answers
        ("meetings:programme_evaluations", False),
    ],
)
def test_skr_page_queries_do_not_grow_from_2_to_50_clusters(
    db, two_and_fifty, url_name, lists_every_cluster
):
    (small, small_manager), (large, large_manager) = two_and_fifty

    small_queries, _page = _measure(url_name, small, small_manager)
    large_queries, page = _measure(url_name, large, large_manager)

    assert large_queries == small_queries
    clusters = Cluster.objects.filter(programme=large)
    if not lists_every_cluster:
        clusters = clusters.filter(meetings__registrations__evaluation__isnull=False)
    names = set(clusters.values_list("name", flat=True))
    assert len(names) > 40
    assert [name for name in sorted(names) if name not in page] == []
