"""Self-assessment results are cached (benchmarking/freshness.py): each viewer still sees
their own variant and every change."""

from django.urls import reverse

from checklists import services as checklist_services
from checklists.models import Answer

from ..conftest import client_for
from .conftest import submitted


def test_cluster_results_cached_for_skr_do_not_show_skr_links_to_a_key_person(world):
    url = reverse("checklists:cluster_results", kwargs={"pk": world.cluster.pk})
    all_clusters = reverse("checklists:programme_results", kwargs={"pk": world.programme.pk})

    manager_page = client_for(world.project_manager).get(url).content.decode()
    key_person_page = client_for(world.key_person).get(url).content.decode()

    assert all_clusters in manager_page
    assert all_clusters not in key_person_page


def test_cluster_results_show_a_submitted_round_after_the_cache_was_filled(world, rounds):
    url = reverse("checklists:cluster_results", kwargs={"pk": world.cluster.pk})
    client = client_for(world.key_person)
    before = client.get(url).content.decode()
    assessment = checklist_services.start_assessment(rounds[0], world.mentor)
    submitted(assessment, lambda s: 2)
    Answer.objects.filter(assessment=assessment).update(level=3)
    after = client.get(url).content.decode()

    assert ">Inlämnad<" not in before
    assert ">Inlämnad<" in after
    assert "3,0" in after


def test_made_up_round_values_do_not_become_cache_keys(world, rounds):
    from django.core.cache import cache

    url = reverse("checklists:cluster_results", kwargs={"pk": world.cluster.pk})
    client = client_for(world.key_person)
    client.get(url)
    kept = len(cache._cache)

    for value in ["99999", "123456", "-4", "abc", str(2**70)]:
        assert client.get(url, {"round": value}).status_code == 200
    client.get(url, {"round": rounds[0].pk})

    assert len(cache._cache) == kept + 1  # the one real round, nothing for the rest
