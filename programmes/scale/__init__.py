"""A large, realistic programme for load tests (``manage.py seed_scale``).

Rows are written with ``bulk_create`` in batches, so no model signals run and seeded data
leaves no audit-log entries. The meetings, agendas and organiser checklists come from the
product's own model content (``create_meetings_for_cluster``), the self-assessment checklist
from ``fixtures/checklist.xlsx`` and the evaluation from ``fixtures/evaluation.json``. Every
choice comes from one ``random.Random(seed)`` and dates are relative to today, so runs are
reproducible; registration tokens stay random because they let people in without a login.
"""

import random
from dataclasses import dataclass
from itertools import batched

from auditlog.context import disable_auditlog
from django.contrib.auth import get_user_model
from django.utils import timezone

from checklists.models import SelfAssessment
from meetings.models import AgendaItem
from outbox.models import OutgoingMail
from programmes.models import Organisation, Programme

from .assessments import checklist_version, create_actions, create_self_assessments
from .base import Run
from .content import EMAIL_DOMAIN, ORGANISATION_NAME, PROGRAMME_DESCRIPTION
from .meetings import create_meetings, create_registrations, tick_checklist_tasks
from .structure import create_clusters, create_people, create_programme

__all__ = ["Seeded", "default_programme_name", "delete_programme", "seed_programme"]


@dataclass
class Seeded:
    programme: Programme
    project_manager: object
    key_person: object
    counts: dict[str, int]


def default_programme_name(clusters: int) -> str:
    return f"Skalprov {clusters} kluster"


def seed_programme(*, name: str, clusters: int, password_hash: str, seed: int = 1) -> Seeded:
    """Create a programme of ``clusters`` clusters, each of six organisations with ten people,
    four meetings in mixed states and everything around them. ``password_hash`` (from
    ``make_password``) is given to every seeded person. Call inside a transaction."""
    run = Run(
        rng=random.Random(seed),  # nosec B311  # reproducible demo data, never a secret
        password_hash=password_hash,
        now=timezone.now(),
        today=timezone.localdate(),
    )
    version = checklist_version()
    create_programme(run, name)
    create_clusters(run, clusters)
    create_people(run)
    create_meetings(run)
    create_registrations(run)
    tick_checklist_tasks(run)
    create_actions(run, create_self_assessments(run, version))
    run.counts["agenda_items"] = AgendaItem.objects.filter(
        meeting__cluster__programme=run.programme
    ).count()
    key_person = run.key_person(run.organisations[0][0])
    return Seeded(run.programme, run.project_manager, key_person, run.counts)


def is_seeded(programme: Programme) -> bool:
    return programme.description == PROGRAMME_DESCRIPTION


def delete_programme(programme: Programme) -> None:
    """Delete a programme with everything in it, and the organisations and people that
    ``seed_programme`` made for it, unless something outside the programme uses them."""
    people = list(
        get_user_model()
        .objects.filter(assignments__programme=programme, email__endswith=f"@{EMAIL_DOMAIN}")
        .values_list("pk", flat=True)
        .distinct()
    )
    organisations = [
        pk
        for pk, name in Organisation.objects.filter(
            cluster_memberships__cluster__programme=programme
        ).values_list("pk", "name")
        if ORGANISATION_NAME.match(name)
    ]
    # Thousands of rows: the audit log would add one entry per row deleted.
    with disable_auditlog():
        OutgoingMail.objects.filter(meeting__cluster__programme=programme).delete()
        for chunk in batched(people, 500, strict=False):
            OutgoingMail.objects.filter(recipient__in=chunk).delete()
        # Self-assessments protect their round from being deleted with the programme.
        SelfAssessment.objects.filter(round__programme=programme).delete()
        programme.delete()
        for chunk in batched(organisations, 500, strict=False):
            Organisation.objects.filter(
                pk__in=chunk,
                cluster_memberships__isnull=True,
                assignments__isnull=True,
                self_assessments__isnull=True,
            ).delete()
        for chunk in batched(people, 500, strict=False):
            get_user_model().objects.filter(pk__in=chunk, assignments__isnull=True).delete()
