"""The programme, its clusters and organisations, and their people with their roles."""

import datetime
import re

from django.conf import settings
from django.contrib.auth import get_user_model

from meetings.models import DEFAULT_START
from programmes.enums import OrganisationKind, Role
from programmes.models import Assignment, Cluster, ClusterMembership, Organisation, Programme

from .base import Run, at
from .content import (
    BATCH_SIZE,
    EMAIL_DOMAIN,
    FIRST_NAMES,
    LAST_NAMES,
    ORGANISATION_NAME,
    ORGANISATIONS_PER_CLUSTER,
    PEOPLE,
    PROGRAMME_DESCRIPTION,
    PROJECT_MANAGER_TITLE,
    REGION_SHARE,
    SEEDED_EMAIL,
    TITLES,
)


def next_number(values, pattern: re.Pattern) -> int:
    """One past the highest number in use, so that seeded programmes can exist side by side."""
    return max((int(m.group(1)) for v in values if (m := pattern.match(v))), default=0) + 1


def create_programme(run: Run, name: str) -> None:
    run.programme = Programme.objects.create(
        name=name,
        description=PROGRAMME_DESCRIPTION,
        starts_on=run.today - datetime.timedelta(days=330),
        ends_on=run.today + datetime.timedelta(days=270),
    )


def _organisation(run: Run, number: int) -> Organisation:
    region = run.rng.random() < REGION_SHARE
    name = f"{'Skalregion' if region else 'Skalkommun'} {number:03d}"
    inhabitants = run.rng.randint(150, 2400) * 1000 if region else run.rng.randint(3, 400) * 1000
    return Organisation(
        name=name,
        kind=OrganisationKind.REGION if region else OrganisationKind.MUNICIPALITY,
        description=f"{name} är påhittad för lasttester. Invånare: {inhabitants:,}.".replace(
            ",", " "
        ),
    )


def create_clusters(run: Run, size: int) -> None:
    """``size`` clusters of six organisations each, the first of them the mentor."""
    taken = Organisation.objects.filter(name__startswith="Skal").values_list("name", flat=True)
    first = next_number(taken, ORGANISATION_NAME)
    run.organisations = [
        [
            _organisation(run, first + c * ORGANISATIONS_PER_CLUSTER + o)
            for o in range(ORGANISATIONS_PER_CLUSTER)
        ]
        for c in range(size)
    ]
    Organisation.objects.bulk_create(run.all_organisations(), batch_size=BATCH_SIZE)
    width = max(2, len(str(size)))
    run.clusters = Cluster.objects.bulk_create(
        Cluster(programme=run.programme, name=f"Skalkluster {index:0{width}d}")
        for index in range(1, size + 1)
    )
    ClusterMembership.objects.bulk_create(
        (
            ClusterMembership(cluster=cluster, organisation=organisation, is_mentor=index == 0)
            for cluster, group in zip(run.clusters, run.organisations, strict=True)
            for index, organisation in enumerate(group)
        ),
        batch_size=BATCH_SIZE,
    )
    run.counts.update(clusters=len(run.clusters), organisations=len(run.all_organisations()))


def _user(run: Run, email: str, title: str):
    return get_user_model()(
        email=email,
        full_name=f"{run.rng.choice(FIRST_NAMES)} {run.rng.choice(LAST_NAMES)}",
        title=title,
        # One hash for everyone: hashing thousands of times would take minutes.
        password=run.password_hash,
        language="en" if run.rng.random() < 0.05 else settings.LANGUAGE_CODE,
    )


def create_people(run: Run) -> None:
    """SKR's project manager, and ten people with a role in each organisation."""
    user_model = get_user_model()
    emails = user_model.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
    number = next_number(emails.values_list("email", flat=True), SEEDED_EMAIL)
    run.project_manager = _user(run, f"skr{number}@{EMAIL_DOMAIN}", PROJECT_MANAGER_TITLE)
    started = at(run.programme.starts_on, DEFAULT_START)
    users = [run.project_manager]
    assignments = [
        Assignment(
            programme=run.programme,
            person=run.project_manager,
            role=Role.PROJECT_MANAGER,
            started_at=started,
        )
    ]
    for organisation in run.all_organisations():
        run.people[organisation.pk] = []
        for role, substitute in PEOPLE:
            number += 1
            person = _user(run, f"person{number}@{EMAIL_DOMAIN}", run.rng.choice(TITLES[role]))
            users.append(person)
            run.people[organisation.pk].append(person)
            assignments.append(
                Assignment(
                    programme=run.programme,
                    person=person,
                    organisation=organisation,
                    role=role,
                    is_substitute=substitute,
                    started_at=started,
                )
            )
    user_model.objects.bulk_create(users, batch_size=BATCH_SIZE)
    Assignment.objects.bulk_create(assignments, batch_size=BATCH_SIZE)
    run.counts.update(people=len(users), assignments=len(assignments))
