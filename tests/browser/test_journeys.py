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


def test_key_person_plans_meeting_and_participant_sees_agenda(page, browser, live_server, world):
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
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    participant = context.new_page()
    log_in(participant, world.participant.email, PASSWORD)
    participant.goto(meeting.get_absolute_url())
    rows = participant.locator(".agenda-title").all_inner_texts()
    plan_links = participant.get_by_role("link", name="Planera träffen").count()
    screenshot(participant, "meeting-participant")
    context.close()

    assert rows[:2] == [items[1].title, items[0].title]
    assert plan_links == 0


def test_participant_registers_with_special_needs_from_the_invitation_link(page, world):
    from meetings import mailings, services
    from meetings.models import Registration

    meeting = world.cluster.meetings.get(kind=MeetingKind.BENCHMARKING_2)
    day = datetime.date.today() + datetime.timedelta(days=10)
    services.plan_meeting(
        meeting,
        date=day,
        start_time=None,
        end_time=None,
        host=world.mentor,
        venue="Stadshuset",
        venue_address="",
        remote_link="",
        accessibility=["hearing_loop"],
    )
    mailings.dispatch_due()
    registration = Registration.objects.get(meeting=meeting, person=world.participant)

    page.goto(registration.get_absolute_url())  # no login: the link is personal
    page.get_by_label("Jag deltar på plats").check()
    page.get_by_label("Vegetarisk").check()
    page.get_by_label("Jag behöver hörslinga").check()
    page.get_by_label("Annan kost eller allergi").fill("Ingen koriander")
    screenshot(page, "registration-form")
    page.get_by_role("button", name="Skicka mitt svar").click()
    page.get_by_text("Tack, ditt svar har sparats.").wait_for()
    screenshot(page, "registration-saved")

    registration.refresh_from_db()
    assert (registration.attendance, registration.diets, registration.hearing_loop) == (
        "in_person",
        ["vegetarian"],
        True,
    )
    assert registration.diet_other == "Ingen koriander"
    assert page.problems == []
