"""The self-assessment journey: a key person fills in the baseline with autosave, submits,
moves two levels up in the follow-up, sees the movement; SKR's project manager follows up.

Links and buttons are found by where they lead rather than by their wording, and the
autosave status is accepted in Swedish or English, so the journey does not depend on the
state of the translations."""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files import File
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from checklists import services
from checklists.enums import AssessmentStatus
from checklists.models import SelfAssessment
from programmes.enums import Role

from ..factories import PASSWORD, AssignmentFactory, ProgrammeFactory, UserFactory, make_cluster
from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser

CHECKLIST = Path(settings.BASE_DIR) / "fixtures" / "checklist.xlsx"
SAVED = re.compile(r"(Sparad|Saved) \d{1,2}:\d{2}")
COMMENT = "Målen är beslutade men inte kända ute i verksamheterna."


@dataclass
class Journey:
    programme: object
    cluster: object
    organisation: object
    version: object
    baseline: object
    follow_up: object
    statements: list
    key_person: object
    elected_official: object
    project_manager: object


@pytest.fixture
def journey(db) -> Journey:
    programme = ProgrammeFactory()
    cluster = make_cluster(programme, organisations=2, name="Mälardalen")
    organisation = cluster.memberships.get(is_mentor=False).organisation
    with CHECKLIST.open("rb") as handle:
        version = services.import_checklist(
            File(handle, name="checklist.xlsx"), name="Checklista för jämställdhetsintegrering"
        )
    baseline = services.save_round(
        programme=programme,
        name="Nulägesbedömning",
        due_on=datetime.date(2026, 8, 25),
        version=version,
    )
    follow_up = services.save_round(
        programme=programme,
        name="Uppföljning",
        due_on=datetime.date(2026, 11, 15),
        version=version,
    )
    key_person = UserFactory(full_name="Karin Nyckelperson")
    AssignmentFactory(
        programme=programme, person=key_person, organisation=organisation, role=Role.KEY_PERSON
    )
    elected_official = UserFactory(full_name="Anders Förtroendevald")
    AssignmentFactory(
        programme=programme,
        person=elected_official,
        organisation=organisation,
        role=Role.ELECTED_OFFICIAL,
    )
    project_manager = UserFactory(full_name="Eva Projektledare")
    AssignmentFactory(programme=programme, person=project_manager, role=Role.PROJECT_MANAGER)
    return Journey(
        programme,
        cluster,
        organisation,
        version,
        baseline,
        follow_up,
        list(version.statements.order_by("position")),
        key_person,
        elected_official,
        project_manager,
    )


PASTED = "Inklistrat från mötesanteckningarna"
# What a paste from the mouse's menu does to a text field: its value changes and an input
# event fires, with no key pressed and no change event until the field is left.
PASTE_WITH_MOUSE = """(field, text) => {
  field.value = text;
  field.dispatchEvent(new InputEvent("input", {bubbles: true, inputType: "insertFromPaste"}));
}"""


def link_to(page, url: str):
    return page.locator(f'a[href="{url}"]').first


def submit_button(page, url: str):
    """The submit button at the top of the page (the same form is repeated at the bottom)."""
    return page.locator(f'form[action="{url}"] button[type="submit"]').first


def statement_card(page, statement):
    return page.locator(f"#statement-{statement.pk}")


def level_radio(page, statement, level: int):
    return statement_card(page, statement).get_by_role("radio", name=re.compile(rf"^{level} – "))


def autosaved(page, assessment, statement, action) -> None:
    """Do ``action`` and wait until htmx has saved the statement and says so beside it."""
    url = reverse("checklists:answer_save", kwargs={"pk": assessment.pk, "statement": statement.pk})
    with page.expect_response(
        lambda response: response.url.endswith(url) and response.request.method == "POST"
    ) as saved:
        action()
    assert saved.value.status == 200
    expect(page.locator(f"#status-{statement.pk}")).to_have_text(SAVED)


def baseline_level(index: int) -> int:
    return index % 3  # 0–2, so that every statement can still move up


def test_key_person_fills_in_baseline_and_follow_up_and_sees_the_movement(page, new_page, journey):
    j = journey
    organisation_results_url = reverse(
        "checklists:organisation_results",
        kwargs={"programme_pk": j.programme.pk, "organisation_pk": j.organisation.pk},
    )

    def round_url(round_):
        return reverse(
            "checklists:round_organisation",
            kwargs={"round_pk": round_.pk, "organisation_pk": j.organisation.pk},
        )

    def start_url(round_):
        return reverse(
            "checklists:assessment_start",
            kwargs={"round_pk": round_.pk, "organisation_pk": j.organisation.pk},
        )

    log_in(page, j.key_person.email, PASSWORD)

    # The cluster page links to the cluster's self-assessments.
    page.get_by_role("link", name=j.cluster.name).first.click()
    page.wait_for_url(f"**{j.cluster.get_absolute_url()}")
    screenshot(page, "self-assessment-01-cluster")
    link_to(page, reverse("checklists:cluster_results", kwargs={"pk": j.cluster.pk})).click()
    page.get_by_role("heading", level=1).wait_for()
    screenshot(page, "self-assessment-02-cluster-self-assessments")

    # The organisation's baseline round, not started yet: start it.
    link_to(page, round_url(j.baseline)).click()
    page.wait_for_url(f"**{round_url(j.baseline)}")
    screenshot(page, "self-assessment-03-baseline-start")
    submit_button(page, start_url(j.baseline)).click()
    page.wait_for_url("**/self-assessments/*/")
    baseline = SelfAssessment.objects.get(round=j.baseline, organisation=j.organisation)

    # Answer every statement; each click is saved at once and the row says so.
    for index, statement in enumerate(j.statements):
        radio = level_radio(page, statement, baseline_level(index))
        autosaved(page, baseline, statement, radio.check)
    first, second = j.statements[0], j.statements[1]
    autosaved(page, baseline, first, statement_card(page, first).get_by_role("checkbox").check)
    comment = statement_card(page, second).get_by_role("textbox")
    # Typing alone saves (after a pause); the field is not left.
    autosaved(page, baseline, second, lambda: comment.press_sequentially(COMMENT))
    # Text pasted with the mouse: no key is pressed and the field is not left.
    third = j.statements[2]
    pasted = statement_card(page, third).get_by_role("textbox")
    autosaved(page, baseline, third, lambda: pasted.evaluate(PASTE_WITH_MOUSE, PASTED))
    expect(page.locator("#progress-bar")).to_have_attribute("value", str(len(j.statements)))
    screenshot(page, "self-assessment-04-baseline-answered")

    # What was saved is still there after a reload.
    page.reload()
    for index, statement in enumerate(j.statements):
        expect(level_radio(page, statement, baseline_level(index))).to_be_checked()
    expect(statement_card(page, first).get_by_role("checkbox")).to_be_checked()
    expect(statement_card(page, second).get_by_role("checkbox")).not_to_be_checked()
    expect(statement_card(page, second).get_by_role("textbox")).to_have_value(COMMENT)
    expect(statement_card(page, third).get_by_role("textbox")).to_have_value(PASTED)
    screenshot(page, "self-assessment-05-baseline-reloaded")

    submit_button(page, reverse("checklists:assessment_submit", kwargs={"pk": baseline.pk})).click()
    page.locator(".alert-success").wait_for()
    expect(page.locator("form[data-autosave]")).to_have_count(0)
    screenshot(page, "self-assessment-06-baseline-submitted")
    baseline.refresh_from_db()
    assert baseline.status == AssessmentStatus.SUBMITTED
    assert baseline.submitted_by == j.key_person
    saved = {a.statement_id: a for a in baseline.answers.all()}
    assert [saved[s.pk].level for s in j.statements] == [
        baseline_level(i) for i in range(len(j.statements))
    ]
    assert saved[first.pk].needs_improvement is True
    assert saved[second.pk].comment == COMMENT
    assert saved[third.pk].comment == PASTED

    # The follow-up starts from the baseline: previous levels shown, answers carried over.
    link_to(page, organisation_results_url).click()
    page.wait_for_url(f"**{organisation_results_url}")
    link_to(page, round_url(j.follow_up)).click()
    page.wait_for_url(f"**{round_url(j.follow_up)}")
    screenshot(page, "self-assessment-07-follow-up-start")
    submit_button(page, start_url(j.follow_up)).click()
    page.wait_for_url("**/self-assessments/*/")
    follow_up = SelfAssessment.objects.get(round=j.follow_up, organisation=j.organisation)
    assert follow_up.prefilled_from == baseline
    with translation.override("sv"):  # the page's language, whatever this thread has active
        labels = {level.value: str(level) for level in j.version.levels.all()}
    for index, statement in enumerate(j.statements):
        card = statement_card(page, statement)
        expect(card.locator(".badge", has_text=labels[baseline_level(index)])).to_have_count(1)
        expect(page.locator(f"#carried-{statement.pk} .badge")).to_have_count(1)
        expect(level_radio(page, statement, baseline_level(index))).to_be_checked()
    expect(statement_card(page, second).get_by_role("textbox")).to_have_value(COMMENT)
    screenshot(page, "self-assessment-08-follow-up-carried-over")

    # Six statements move one level up; they are no longer marked as carried over.
    moved = [j.statements[n] for n in (0, 4, 8, 12, 16, 20)]
    for statement in moved:
        level = baseline_level(j.statements.index(statement)) + 1
        autosaved(page, follow_up, statement, level_radio(page, statement, level).check)
        expect(page.locator(f"#carried-{statement.pk} .badge")).to_have_count(0)
    expect(page.locator("[id^=carried-] .badge")).to_have_count(len(j.statements) - len(moved))
    expect(page.locator("#assessment-progress")).to_contain_text(f"{len(moved)} av 26")
    # "Still holds" confirms a carried answer without changing it.
    kept = j.statements[1]  # not among the moved ones
    autosaved(
        page,
        follow_up,
        kept,
        statement_card(page, kept).get_by_role("button", name="Stämmer fortfarande").click,
    )
    expect(page.locator(f"#carried-{kept.pk} .badge")).to_have_count(0)
    screenshot(page, "self-assessment-09-follow-up-changed")
    submit_url = reverse("checklists:assessment_submit", kwargs={"pk": follow_up.pk})
    # Submitting with answers nobody looked at asks for a confirmation first.
    submit_button(page, submit_url).click()
    expect(page.locator(".alert-danger")).to_contain_text("ingen har granskat dem")
    follow_up.refresh_from_db()
    assert follow_up.status == AssessmentStatus.DRAFT
    page.locator(f'form[action="{submit_url}"] input[name="confirm_carried"]').first.check()
    submit_button(page, submit_url).click()
    page.locator(".alert-success").wait_for()
    screenshot(page, "self-assessment-10-follow-up-submitted")
    follow_up.refresh_from_db()
    assert follow_up.status == AssessmentStatus.SUBMITTED
    levels = {a.statement_id: a.level for a in follow_up.answers.all()}
    assert [levels[s.pk] - saved[s.pk].level for s in j.statements].count(1) == len(moved)

    # The organisation's results: a chart and a table with the movement upwards.
    link_to(page, organisation_results_url).click()
    page.wait_for_url(f"**{organisation_results_url}")
    chart = page.locator('svg[role="img"]')
    expect(chart).to_be_visible()
    table = page.locator("#organisation-table")
    expect(table).to_be_visible()
    expect(table.locator(".movement-up").first).to_be_visible()
    overall = table.locator("tbody tr").last.locator("td").last.inner_text()
    screenshot(page, "self-assessment-11-organisation-results")
    assert re.match(r"^\+\d+[,.]\d", overall), overall
    assert float(overall[1:].split()[0].replace(",", ".")) > 0
    assert page.problems == []

    # SKR's project manager follows the programme and the cluster.
    manager = new_page()
    log_in(manager, j.project_manager.email, PASSWORD)
    manager.goto(reverse("checklists:programme_results", kwargs={"pk": j.programme.pk}))
    programme_row = manager.locator("tr", has=link_to(manager, organisation_results_url))
    expect(programme_row.locator(".badge.text-bg-success")).to_have_count(2)
    expect(programme_row.locator(".movement-up")).to_have_count(1)
    screenshot(manager, "self-assessment-12-programme-results")
    cluster_results_url = reverse("checklists:cluster_results", kwargs={"pk": j.cluster.pk})
    link_to(manager, cluster_results_url).click()
    manager.wait_for_url(f"**{cluster_results_url}")
    expect(manager.locator('svg[role="img"]')).to_be_visible()
    cluster_row = manager.locator("tr", has=link_to(manager, organisation_results_url))
    expect(cluster_row.locator(".movement-up")).to_have_count(1)
    screenshot(manager, "self-assessment-13-cluster-results")

    assert manager.problems == []
