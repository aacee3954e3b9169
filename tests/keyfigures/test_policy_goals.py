"""SKR's key figures by gender-equality policy goal: the data file, adding from it with one
click, marking a key figure as shared in the cluster, and comparing the shared ones."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from keyfigures import policy_goals, services
from keyfigures.models import OrganisationKpi, SharedKpi
from keyfigures.selectors import shared_comparison
from tests.factories import make_cluster

from ..conftest import client_for
from .conftest import KOLADA, RECORDINGS, kpis_url, recording


@pytest.fixture
def two_goal_kpis(monkeypatch, http):
    """A selection of two key figures that the recorded Kolada answers know."""
    monkeypatch.setattr(policy_goals, "DATA_FILE", RECORDINGS / "policy_goals_two.json")
    policy_goals.goals.cache_clear()
    http.get(f"{KOLADA}kpi/N00945", json=recording("kpi_N00945"))
    http.get(f"{KOLADA}kpi/N00941", json=recording("kpi_N00941"))
    yield
    policy_goals.goals.cache_clear()


@pytest.fixture(autouse=True)
def english(world):
    """New texts have no Swedish translation until `make messages` runs: read English."""
    for user in (world.key_person, world.participant, world.project_manager):
        user.language = "en"
        user.save()


def test_policy_goal_file_has_six_goals_and_a_source_for_every_key_figure():
    data = json.loads(policy_goals.DATA_FILE.read_text(encoding="utf-8"))
    goals = {goal["key"] for goal in data["goals"]}
    ids = [entry["id"] for entry in data["key_figures"]]

    assert len(data["goals"]) == 6
    assert len(ids) == len(set(ids))
    for entry in data["key_figures"]:
        assert re.fullmatch(r"[A-Z]\d{5}", entry["id"])
        assert entry["goal"] in goals
        assert entry["title_sv"] and entry["title_en"]
        assert entry["source"].strip()


def test_policy_goals_are_read_in_the_order_of_the_policy():
    goals = policy_goals.goals()

    assert [goal.number for goal in goals] == [1, 2, 3, 4, 5, 6]
    assert goals[0].title_en == "Equal division of power and influence"
    assert goals[5].title_en == "Men's violence against women must stop"


def _add(client, world, organisation, code):
    return client.post(
        reverse(
            "keyfigures:kpi_add",
            kwargs={"programme_pk": world.programme.pk, "organisation_pk": organisation.pk},
        ),
        {"code": code},
    )


def test_key_person_adds_two_from_the_goals_shares_one_and_the_cluster_compares_it(
    two_goal_kpis, world
):
    mentor, member = world.mentor, world.benchmarking_organisation
    client = client_for(world.key_person)

    before = client.get(kpis_url(world, mentor)).content.decode()
    _add(client, world, mentor, "N00945")
    _add(client, world, mentor, "N00941")
    after = client.get(kpis_url(world, mentor)).content.decode()
    sick_leave = OrganisationKpi.objects.get(organisation=mentor, kpi__code="N00945")
    services.save_year(sick_leave, year=2024, women=Decimal("9.1"), men=Decimal("5.5"), total=None)
    # The other organisation has the same key figure, with values for two years.
    theirs = services.add_kolada_kpi(world.programme, member, "N00945")
    services.save_year(theirs, year=2023, women=Decimal("7"), men=Decimal("6"), total=None)
    services.save_year(theirs, year=2024, women=Decimal("8.2"), men=Decimal("4.0"), total=None)
    shared = client.post(
        reverse(
            "keyfigures:kpi_share",
            kwargs={"pk": world.cluster.pk, "kpi_pk": sick_leave.kpi_id},
        ),
        {"shared": "1", "next": kpis_url(world, mentor)},
    )
    page = client_for(world.participant).get(
        reverse("keyfigures:cluster_kpis", kwargs={"pk": world.cluster.pk})
    )
    html = page.content.decode()

    assert "SKR's key figures for gender equality" in before
    assert "5. Equal health" in before
    assert before.count('name="code" value="N00945"') == 1
    assert sorted(
        OrganisationKpi.objects.filter(organisation=mentor).values_list("kpi__code", flat=True)
    ) == ["N00941", "N00945"]
    assert 'name="code" value="N00945"' not in after  # chosen: no second Add button
    assert shared.status_code == 302
    assert shared.url == kpis_url(world, mentor)
    assert list(SharedKpi.objects.values_list("cluster", "kpi__code")) == [
        (world.cluster.pk, "N00945")
    ]
    table = html[html.index('id="shared-kpi-N00945"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    cells = [re.findall(r"<t[dh][^>]*>\s*(.*?)\s*</t[dh]>", row, re.S) for row in rows]
    assert [cell[0].split("<")[0].strip() for cell in cells] == [mentor.name, member.name]
    assert [cell[1:] for cell in cells] == [
        ["2024", "9.1", "5.5", "3.6"],
        ["2024", "8.2", "4", "4.2"],
    ]
    assert 'id="shared-kpi-N00941"' not in html


def test_kpi_share_twice_then_stop_sharing(two_goal_kpis, world):
    chosen = services.add_kolada_kpi(world.programme, world.mentor, "N00945")
    url = reverse("keyfigures:kpi_share", kwargs={"pk": world.cluster.pk, "kpi_pk": chosen.kpi_id})
    client = client_for(world.key_person)

    client.post(url, {"shared": "1"})
    client.post(url, {"shared": "1"})
    shared_twice = SharedKpi.objects.count()
    client.post(url, {"shared": "0"})

    assert shared_twice == 1
    assert SharedKpi.objects.count() == 0


def test_kpi_share_refused_to_participant_and_hidden_from_other_cluster(two_goal_kpis, world):
    chosen = services.add_kolada_kpi(world.programme, world.mentor, "N00945")
    url = reverse("keyfigures:kpi_share", kwargs={"pk": world.cluster.pk, "kpi_pk": chosen.kpi_id})

    participant = client_for(world.participant).post(url, {"shared": "1"})
    other = client_for(world.other_participant).post(url, {"shared": "1"})

    assert (participant.status_code, other.status_code) == (403, 404)
    assert SharedKpi.objects.count() == 0


def test_kpi_share_does_not_redirect_elsewhere(two_goal_kpis, world):
    chosen = services.add_kolada_kpi(world.programme, world.mentor, "N00945")

    response = client_for(world.key_person).post(
        reverse("keyfigures:kpi_share", kwargs={"pk": world.cluster.pk, "kpi_pk": chosen.kpi_id}),
        {"shared": "1", "next": "https://evil.example/"},
    )

    assert response.url == reverse("keyfigures:cluster_kpis", kwargs={"pk": world.cluster.pk})


@pytest.mark.parametrize("organisations", [2, 6])
def test_shared_comparison_queries_do_not_grow(
    two_goal_kpis, world, django_assert_num_queries, organisations
):
    cluster = make_cluster(world.programme, organisations=organisations, name=f"S{organisations}")
    kpis = []
    for membership in cluster.memberships.select_related("organisation"):
        for code in ("N00945", "N00941"):
            chosen = services.add_kolada_kpi(world.programme, membership.organisation, code)
            services.save_year(chosen, year=2024, women=Decimal(3), men=Decimal(2), total=None)
            kpis.append(chosen.kpi)
    for kpi in set(kpis):
        services.set_shared(cluster, kpi, shared=True)

    with django_assert_num_queries(4):
        comparisons = shared_comparison(cluster)

    assert [len(c.cells) for c in comparisons] == [organisations, organisations]


def test_kpi_share_only_a_key_figure_of_the_cluster(two_goal_kpis, world):
    elsewhere = services.add_own_kpi(
        world.programme,
        world.other_cluster.memberships.first().organisation,
        title="Annat klusters egna nyckeltal",
    )

    response = client_for(world.key_person).post(
        reverse(
            "keyfigures:kpi_share", kwargs={"pk": world.cluster.pk, "kpi_pk": elsewhere.kpi_id}
        ),
        {"shared": "1"},
    )

    assert response.status_code == 404
    assert SharedKpi.objects.count() == 0


@pytest.mark.parametrize("organisations", [2, 6])
def test_cluster_key_figures_page_with_shared_queries_do_not_grow(
    two_goal_kpis, world, django_assert_num_queries, organisations
):
    cluster = make_cluster(world.programme, organisations=organisations, name=f"S{organisations}")
    for membership in cluster.memberships.select_related("organisation"):
        for code in ("N00945", "N00941"):
            chosen = services.add_kolada_kpi(world.programme, membership.organisation, code)
            services.save_year(chosen, year=2024, women=Decimal(3), men=Decimal(2), total=None)
            services.set_shared(cluster, chosen.kpi, shared=True)
    client = client_for(world.project_manager)
    url = reverse("keyfigures:cluster_kpis", kwargs={"pk": cluster.pk})

    with django_assert_num_queries(12):
        response = client.get(url)

    assert [len(c.cells) for c in response.context["comparisons"]] == [organisations] * 2
