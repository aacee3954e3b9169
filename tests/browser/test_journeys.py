import datetime

import pytest

from meetings.enums import MeetingKind

from ..factories import PASSWORD
from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_participant_sees_own_cluster_and_not_the_other(page, world):
    log_in(page, world.participant.email, PASSWORD)

    page.get_by_role("link", name=world.cluster.name).first.click()
    screenshot(page, "cluster-participant")
    heading = page.get_by_role("heading", level=1).inner_text()
    response = page.goto(world.other_cluster.get_absolute_url())

    assert heading == world.cluster.name
    assert response.status == 404
    assert page.problems == [] or all("404" in p for p in page.problems)


def test_key_person_plans_meeting_and_participant_sees_agenda(page, new_page, world):
    meeting = world.cluster.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    items = list(meeting.agenda_items.all())
    log_in(page, world.key_person.email, PASSWORD)

    # Date, venue and accessibility.
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Planera träffen").click()
    page.get_by_label("Datum").fill(
        (datetime.date.today() + datetime.timedelta(days=40)).isoformat()
    )
    page.get_by_label("Värdorganisation").select_option(label=world.mentor.name)
    page.get_by_label("Lokal", exact=True).fill("Stadshuset, sal B")
    page.get_by_label("Hörslinga").check()
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Träffen sparades.").wait_for()

    # Reorder the agenda with the keyboard: focus the second item's "up" button, press Enter.
    up = page.locator(f"#move-up-{items[1].pk}")
    up.focus()
    page.keyboard.press("Enter")
    page.locator(".agenda-row").first.and_(
        page.locator(f'[data-agenda-item="{items[1].pk}"]')
    ).wait_for()

    # Tick an organiser checklist task (htmx swaps the row in place).
    task = meeting.checklist_tasks.first()
    page.locator(f"#toggle-{task.pk}").click()
    page.locator(f'#toggle-{task.pk}[aria-pressed="true"]', has_text="Klart").wait_for()
    screenshot(page, "meeting-planned-key-person")

    meeting.refresh_from_db()
    task.refresh_from_db()
    assert meeting.venue == "Stadshuset, sal B"
    assert meeting.accessibility == ["hearing_loop"]
    assert list(meeting.agenda_items.values_list("pk", flat=True)[:2]) == [items[1].pk, items[0].pk]
    assert task.done_by == world.key_person
    assert page.problems == []

    # A participant of the cluster sees the planned agenda.
    participant = new_page()
    log_in(participant, world.participant.email, PASSWORD)
    participant.goto(meeting.get_absolute_url())
    rows = participant.locator(".agenda-title").all_inner_texts()
    plan_links = participant.get_by_role("link", name="Planera träffen").count()
    screenshot(participant, "meeting-participant")

    assert rows[:2] == [items[1].title, items[0].title]
    assert plan_links == 0
