"""Result pages cost the same number of queries for 2 organisations as for 20."""

import datetime

import pytest
from django.urls import reverse

from checklists import services
from checklists.models import AssessmentRound
from programmes.enums import Role

from ..conftest import client_for
from ..factories import AssignmentFactory, ProgrammeFactory, UserFactory, make_cluster
from .conftest import example_upload, fill


def _programme(clusters: int, organisations: int):
    programme = ProgrammeFactory()
    version = services.import_checklist(example_upload(), name=f"Checklista {programme.pk}")
    rounds = [
        AssessmentRound.objects.create(
            programme=programme, version=version, name=name, due_on=datetime.date(2026, month, 1)
        )
        for name, month in (("Nuläge", 9), ("Uppföljning", 12))
    ]
    made = [make_cluster(programme, organisations=organisations) for _ in range(clusters)]
    for cluster in made:
        for membership in cluster.memberships.all():
            for round_ in rounds:
                assessment = fill(
                    services.start_assessment(round_, membership.organisation), lambda s: 2
                )
                services.submit_assessment(assessment, user=None)
    manager = UserFactory()
    AssignmentFactory(programme=programme, person=manager, role=Role.PROJECT_MANAGER)
    return programme, made[0], manager


@pytest.mark.parametrize("organisations", [2, 20])
def test_cluster_results_queries_do_not_grow(db, organisations, django_assert_num_queries):
    _programme_, cluster, manager = _programme(1, organisations)
    client = client_for(manager)

    with django_assert_num_queries(12):
        response = client.get(reverse("checklists:cluster_results", kwargs={"pk": cluster.pk}))

    assert len(response.context["results"].columns) == organisations


@pytest.mark.parametrize("clusters", [2, 20])
def test_programme_results_queries_do_not_grow(db, clusters, django_assert_num_queries):
    programme, _cluster, manager = _programme(clusters, 2)
    client = client_for(manager)

    with django_assert_num_queries(12):
        response = client.get(reverse("checklists:programme_results", kwargs={"pk": programme.pk}))

    assert len(response.context["clusters"]) == clusters


@pytest.mark.parametrize("organisations", [2, 20])
def test_organisation_results_queries_do_not_grow(db, organisations, django_assert_num_queries):
    programme, cluster, manager = _programme(1, organisations)
    organisation = cluster.memberships.first().organisation
    client = client_for(manager)

    with django_assert_num_queries(12):
        client.get(
            reverse(
                "checklists:organisation_results",
                kwargs={"programme_pk": programme.pk, "organisation_pk": organisation.pk},
            )
        )
