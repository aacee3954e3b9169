"""The key-figures journey: a key person finds a key figure in Kolada's catalogue, fetches its
values by women and men, sets a threshold, sees the deviation flagged, makes it an improvement
action and follows it up; the cluster's key-figures page lists the flagged deviation.

Kolada answers from the recordings in ``tests/keyfigures`` (the ``responses`` mock also
answers the live server's thread). They are registered for 2020–2025, the six years fetched
in 2026, so the journey runs on a day in November 2026. Links and forms are found by where
they lead; what the user is told is checked in Swedish."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from keyfigures.enums import ThresholdKind
from keyfigures.models import KpiValue, OrganisationKpi
from plans.enums import ActionArea, ActionStatus
from plans.models import FollowUp, ImprovementAction

from ..factories import PASSWORD
from ..keyfigures.conftest import kolada_ok, uppsala  # noqa: F401 (fixtures)
from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser

NOW = datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC)
CODE = "N00945"
TITLE = "Sjukfrånvaro, kommunalt anställda, andel (%)"
MOTIVATION = "Målet i budgeten är lika sjukfrånvaro för kvinnor och män."
NOTE = "Chefer i vård och omsorg har fått utbildning i rehabiliteringsstöd."


def link_to(page, url: str):
    """The first link to ``url`` in the page's content (the menu has links of its own)."""
    return page.locator(f'main a[href="{url}"]').first


def submit_button(page, url: str):
    return page.locator(f'form[action="{url}"] [type="submit"]').first


@pytest.mark.usefixtures("kolada_ok", "uppsala")
def test_key_person_fetches_key_figure_flags_deviation_and_follows_up_an_action(
    page, world, settings
):
    # The server's clock is frozen at NOW (the recorded Kolada answers belong to that date),
    # the browser's is not: a session cookie must outlive the gap between the two.
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 60 * 60
    programme = world.programme
    organisation = world.mentor  # Kolada id 0380
    where = {"programme_pk": programme.pk, "organisation_pk": organisation.pk}
    organisation_kpis_url = reverse("keyfigures:organisation_kpis", kwargs=where)
    kpi_add_url = reverse("keyfigures:kpi_add", kwargs=where)
    plan_url = reverse("plans:plan", kwargs=where)
    action_create_url = reverse("plans:action_create", kwargs=where)
    cluster_kpis_url = reverse("keyfigures:cluster_kpis", kwargs={"pk": world.cluster.pk})

    with time_machine.travel(NOW, tick=True):
        log_in(page, world.key_person.email, PASSWORD)

        # The cluster page links to the cluster's key figures, and they to the organisation's.
        page.get_by_role("link", name=world.cluster.name).first.click()
        page.wait_for_url(f"**{world.cluster.get_absolute_url()}")
        screenshot(page, "key-figures-01-cluster")
        link_to(page, cluster_kpis_url).click()
        page.wait_for_url(f"**{cluster_kpis_url}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Nyckeltal för kvinnor och män")
        screenshot(page, "key-figures-02-cluster-key-figures")
        link_to(page, organisation_kpis_url).click()
        page.wait_for_url(f"**{organisation_kpis_url}")
        expect(page.get_by_text(re.compile(r"^Inga nyckeltal har valts"))).to_be_visible()
        screenshot(page, "key-figures-03-organisation-key-figures")

        # Search Kolada's catalogue: three key figures, one of them not split by sex.
        page.get_by_role("searchbox").fill("sjukfrånvaro")
        page.get_by_role("button", name="Sök", exact=True).click()
        page.wait_for_url(f"**{organisation_kpis_url}?q=*")
        results = page.get_by_role("list", name="Sökresultat").get_by_role("listitem")
        expect(results).to_have_count(3)
        expect(results.first).to_contain_text(f"{CODE} {TITLE}")
        expect(results.nth(2)).to_contain_text("inte uppdelat på kön")
        screenshot(page, "key-figures-04-search-results")
        # The search result's button (the policy-goal list above offers the same key figure).
        page.locator(f'form[action="{kpi_add_url}"]:has(input[value="{CODE}"]) button').last.click()
        page.wait_for_url(f"**{organisation_kpis_url}#kpi-*")
        organisation_kpi = OrganisationKpi.objects.get(organisation=organisation)
        card = page.locator(f"#kpi-{organisation_kpi.pk}")
        expect(page.locator(".alert-success")).to_contain_text(f"{CODE} {TITLE} lades till.")
        expect(card.get_by_text(re.compile(r"^Inga värden"))).to_be_visible()
        screenshot(page, "key-figures-05-key-figure-added")

        # Fetch the values from Kolada: men lack a value in 2024, which the user is told.
        fetch_url = reverse("keyfigures:kpi_fetch", kwargs={"pk": organisation_kpi.pk})
        submit_button(page, fetch_url).click()
        expect(page.locator(".alert-success")).to_contain_text(
            f"Värdena för {CODE} {TITLE} hämtades från Kolada."
        )
        expect(page.locator(".alert-warning")).to_have_text(
            ["Kolada har inga värden än för 2025.", "2024: Kolada saknar värde för män."]
        )
        table = page.locator(f"#kpi-values-{organisation_kpi.pk}")
        expect(table).to_be_visible()
        expect(table.locator("thead th")).to_have_text(["År", "Kvinnor", "Män", "Totalt"])
        expect(table.locator("tbody tr")).to_have_count(5)
        expect(table.locator("tbody tr").first.locator("th, td")).to_have_text(
            ["2020", "8,9", "5,1", "8,1"]
        )
        expect(table.locator("tbody tr").last.locator("th, td")).to_have_text(
            ["2024", "8,7", "–", "8,0"]
        )
        chart = card.locator('svg[role="img"]')
        expect(chart).to_be_visible()
        expect(chart.locator("title").first).to_contain_text("kvinnor och män per år")
        expect(card.locator(".badge")).to_have_count(0)  # no threshold yet: nothing to judge
        expect(card).to_contain_text("Gränsvärde: –")
        screenshot(page, "key-figures-06-values-fetched")

        # A threshold: a relative difference of at most 20 per cent, written the Swedish way.
        threshold_url = reverse("keyfigures:threshold", kwargs={"pk": organisation_kpi.pk})
        link_to(page, threshold_url).click()
        page.wait_for_url(f"**{threshold_url}")
        page.get_by_label(re.compile(r"Relativ skillnad")).check()
        page.get_by_label("Största godtagbara avvikelse").fill("20,0")
        page.get_by_label(re.compile(r"Varför det här nyckeltalet")).fill(MOTIVATION)
        screenshot(page, "key-figures-07-threshold")
        page.get_by_role("button", name="Spara").click()
        page.wait_for_url(f"**{organisation_kpis_url}#kpi-{organisation_kpi.pk}")
        expect(card.locator(".badge.text-bg-danger")).to_have_text("Utanför gränsvärdet")
        expect(card).to_contain_text(
            "2023: kvinnor minus män 3,6 procentenheter, det vill säga 49,3 % av medelvärdet"
        )
        screenshot(page, "key-figures-08-deviation-flagged")

        # Make the deviation an improvement action: the form is pre-filled and linked.
        new_action_url = f"{action_create_url}?kpi={organisation_kpi.pk}"
        link_to(page, new_action_url).click()
        page.wait_for_url(f"**{new_action_url}")
        expect(page.get_by_role("textbox", name=re.compile(r"Åtgärd"))).to_have_value(
            f"Minska skillnaden mellan kvinnor och män: {TITLE}"
        )
        expect(page.locator(".alert-info")).to_contain_text(f"Från nyckeltalet {CODE} {TITLE}")
        screenshot(page, "key-figures-09-action-form")
        page.get_by_role("button", name="Spara").click()
        page.wait_for_url(f"**{plan_url}#action-*")
        action = ImprovementAction.objects.get(organisation=organisation)
        action_card = page.locator(f"#action-{action.pk}")
        expect(page.locator(".alert-success")).to_have_text("Åtgärden sparades.")
        expect(action_card).to_contain_text(f"Nyckeltal: {CODE} {TITLE}")
        screenshot(page, "key-figures-10-plan-with-action")

        # Follow the action up: it is in progress now.
        follow_up_url = reverse("plans:follow_up_add", kwargs={"pk": action.pk})
        action_card.locator("summary").click()
        follow_up_form = page.locator(f'form[action="{follow_up_url}"]')
        follow_up_form.get_by_role("textbox", name=re.compile(r"Uppföljning")).fill(NOTE)
        status = follow_up_form.get_by_role("combobox", name=re.compile(r"Status nu"))
        status.select_option(label="Pågår")
        submit_button(page, follow_up_url).click()
        page.wait_for_url(f"**{plan_url}#action-{action.pk}")
        expect(page.locator(".alert-success")).to_have_text("Uppföljningen sparades.")
        listed = action_card.locator("li", has_text=NOTE)
        expect(listed).to_have_count(1)
        expect(listed).to_contain_text("Pågår")
        expect(listed).to_contain_text(world.key_person.full_name)
        screenshot(page, "key-figures-11-follow-up")

        # The cluster's key figures list the flagged deviation.
        link_to(page, world.cluster.get_absolute_url()).click()
        page.wait_for_url(f"**{world.cluster.get_absolute_url()}")
        link_to(page, cluster_kpis_url).click()
        page.wait_for_url(f"**{cluster_kpis_url}")
        flagged = page.locator('section[aria-labelledby="flagged-heading"] li')
        expect(flagged).to_have_count(1)
        expect(flagged).to_contain_text(f"{organisation.name}: {CODE} {TITLE}")
        expect(flagged.locator(".badge")).to_have_text("Utanför gränsvärdet")
        expect(
            flagged.locator(f'a[href="{organisation_kpis_url}#kpi-{organisation_kpi.pk}"]')
        ).to_be_visible()
        screenshot(page, "key-figures-12-cluster-flagged")

    assert page.problems == []
    organisation_kpi.refresh_from_db()
    assert organisation_kpi.threshold_kind == ThresholdKind.RELATIVE
    assert organisation_kpi.threshold == 20
    assert organisation_kpi.motivation == MOTIVATION
    assert organisation_kpi.last_fetched_at is not None
    values = KpiValue.objects.filter(organisation=organisation, kpi=organisation_kpi.kpi)
    assert values.count() == 14  # 2020–2023 for women, men and total; 2024 without men
    assert not values.filter(year=2024, gender="M").exists()
    action = ImprovementAction.objects.get(organisation=organisation)
    assert action.organisation_kpi == organisation_kpi
    assert action.area == ActionArea.KEY_FIGURE
    assert action.created_by == world.key_person
    follow_up = FollowUp.objects.get(action=action)
    assert (follow_up.note, follow_up.status) == (NOTE, ActionStatus.IN_PROGRESS)
    assert follow_up.created_by == world.key_person
