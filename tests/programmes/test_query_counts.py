"""Pages that list things keep the same number of queries however much there is."""

import pytest
from django.urls import reverse

from programmes.enums import Role

from ..conftest import client_for
from ..factories import AssignmentFactory, ProgrammeFactory, UserFactory, make_cluster


def _programme_with(clusters: int):
    programme = ProgrammeFactory()
    made = [make_cluster(programme, organisations=4, people=True) for _ in range(clusters)]
    manager = UserFactory()
    AssignmentFactory(programme=programme, person=manager, role=Role.PROJECT_MANAGER)
    participant = made[0].memberships.first().organisation.assignments.first().person
    return programme, made[0], manager, participant


@pytest.mark.parametrize("clusters", [1, 20])
def test_home_queries_do_not_grow_with_clusters_for_project_manager(
    db, clusters, django_assert_num_queries
):
    _programme, _cluster, manager, _participant = _programme_with(clusters)
    client = client_for(manager)

    with django_assert_num_queries(9):
        response = client.get(reverse("programmes:home"))

    assert response.status_code == 200
    assert len(response.context["overviews"][0].clusters) == clusters


@pytest.mark.parametrize("clusters", [1, 20])
def test_home_queries_do_not_grow_with_clusters_for_participant(
    db, clusters, django_assert_num_queries
):
    _programme, _cluster, _manager, participant = _programme_with(clusters)
    client = client_for(participant)

    with django_assert_num_queries(10):
        response = client.get(reverse("programmes:home"))

    assert response.status_code == 200
    summary = response.context["overviews"][0].clusters[0]
    assert [len(entry.assignments) for entry in summary.organisations] == [3, 3, 3, 3]


@pytest.mark.parametrize("clusters", [1, 20])
def test_cluster_page_queries_do_not_grow_with_clusters(db, clusters, django_assert_num_queries):
    _programme, cluster, manager, _participant = _programme_with(clusters)
    client = client_for(manager)

    url = reverse("programmes:cluster_detail", kwargs={"pk": cluster.pk})
    with django_assert_num_queries(9):
        response = client.get(url)
    with django_assert_num_queries(5):  # drawn: session, user, cluster, roles, menu
        client.get(url)

    assert response.status_code == 200
    assert len(response.context["people"]) == 4


@pytest.mark.parametrize("clusters", [1, 20])
def test_programme_page_queries_do_not_grow_with_clusters(db, clusters, django_assert_num_queries):
    programme, _cluster, manager, _participant = _programme_with(clusters)
    client = client_for(manager)

    with django_assert_num_queries(9):
        response = client.get(reverse("programmes:programme_manage", kwargs={"pk": programme.pk}))

    assert response.status_code == 200
    assert len(response.context["clusters"]) == clusters
