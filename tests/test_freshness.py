"""Cached shared pages (benchmarking/freshness.py): every write replaces the data token, the
pages show what is in the database, the clock and the language, whatever was cached before."""

import datetime

import time_machine
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from benchmarking import freshness
from checklists.models import Answer
from meetings.models import Meeting, Registration
from outbox.models import OutgoingMail
from programmes.models import Organisation

from .conftest import client_for
from .factories import OrganisationFactory

TZ = datetime.UTC


def test_save_update_bulk_and_delete_each_replace_the_data_token(db):
    tokens = [freshness.data_token()]
    organisation = OrganisationFactory()
    tokens.append(freshness.data_token())
    Organisation.objects.filter(pk=organisation.pk).update(name="Ny")
    tokens.append(freshness.data_token())
    Organisation.objects.bulk_create([Organisation(name="Bulk", kind=organisation.kind)])
    tokens.append(freshness.data_token())
    Organisation.objects.filter(name="Bulk").delete()
    tokens.append(freshness.data_token())
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Organisation._meta.db_table} SET name = 'Rå' WHERE id = %s", [1])
    tokens.append(freshness.data_token())

    assert len(set(tokens)) == len(tokens)


def test_writes_outside_our_tables_and_reads_keep_the_data_token(db):
    token = freshness.data_token()
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now())
    list(Organisation.objects.all())

    assert freshness.data_token() == token


def test_a_write_in_a_transaction_replaces_the_token_again_after_commit(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        OrganisationFactory()
        OrganisationFactory()
        during = freshness.data_token()

    assert callbacks == [freshness.data_changed]  # once per transaction, not per statement
    callbacks[0]()
    assert freshness.data_token() != during


def test_a_cached_fragment_is_drawn_once_per_token_language_and_parts(db):
    drawn = []

    def draw():
        drawn.append(1)
        return f"<p>{len(drawn)}</p>", None

    first = freshness.cached_fragment("test", (1,), draw)
    again = freshness.cached_fragment("test", (1,), draw)
    other_parts = freshness.cached_fragment("test", (2,), draw)
    with translation.override("en"):
        english = freshness.cached_fragment("test", (1,), draw)
    freshness.data_changed()
    after_change = freshness.cached_fragment("test", (1,), draw)

    assert (first, again, other_parts, english, after_change) == (
        "<p>1</p>",
        "<p>1</p>",
        "<p>2</p>",
        "<p>3</p>",
        "<p>4</p>",
    )


def test_a_cached_fragment_is_drawn_again_when_its_moment_has_passed(db):
    until = datetime.datetime(2026, 11, 23, 16, tzinfo=TZ)
    drawn = []

    def draw():
        drawn.append(1)
        return str(len(drawn)), until

    with time_machine.travel(until - datetime.timedelta(minutes=1), tick=False):
        before = [freshness.cached_fragment("test", (), draw) for _ in range(2)]
    with time_machine.travel(until, tick=False):
        after = freshness.cached_fragment("test", (), draw)

    assert (before, after) == (["1", "1"], "2")


def test_the_code_stamp_changes_when_a_template_changes(settings, tmp_path, monkeypatch):
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "page.html"
    template.write_text("<p>1</p>")
    monkeypatch.setattr(freshness, "ROOT", tmp_path)
    freshness.code_stamp.cache_clear()
    try:
        before = freshness.code_stamp()
        template.write_text("<p>two</p>")
        freshness.code_stamp.cache_clear()
        after = freshness.code_stamp()
    finally:
        freshness.code_stamp.cache_clear()

    assert before != after


def _overview(client, programme):
    """The page's main content (the header around it holds a fresh CSRF token each time)."""
    url = reverse("programmes:programme_overview", kwargs={"pk": programme.pk})
    page = client.get(url).content.decode()
    return page[page.index("<main") : page.index("</main>")]


def _invited_meeting(world):
    meeting = world.cluster.meetings.order_by("sequence").first()
    meeting.starts_at = datetime.datetime(2026, 12, 1, 9, tzinfo=TZ)
    meeting.ends_at = datetime.datetime(2026, 12, 1, 16, tzinfo=TZ)
    meeting.save()
    OutgoingMail.objects.create(
        purpose="meeting_invitation",
        to_email="x@kommun.example",
        subject="Inbjudan",
        body_text="Hej",
        meeting=meeting,
    )
    return meeting


def test_overview_shows_a_change_made_with_a_queryset_update(world, django_assert_num_queries):
    meeting = _invited_meeting(world)
    registration = Registration.objects.create(meeting=meeting, person=world.participant)
    client = client_for(world.project_manager)
    with time_machine.travel(datetime.datetime(2026, 11, 23, tzinfo=TZ), tick=False):
        before = _overview(client, world.programme)
        with django_assert_num_queries(5):  # cached: session, user, programme, access, menu
            cached = _overview(client, world.programme)
        Registration.objects.filter(pk=registration.pk).update(
            answered_at=timezone.now(), attendance="in_person"
        )
        after = _overview(client, world.programme)

    assert before == cached
    assert "0 / 1" in before
    assert "1 / 1" in after


def test_overview_shows_a_meeting_as_held_once_it_has_ended_without_any_write(world):
    meeting = _invited_meeting(world)
    client = client_for(world.project_manager)
    with time_machine.travel(meeting.ends_at - datetime.timedelta(minutes=5), tick=False):
        before = _overview(client, world.programme)
    with time_machine.travel(meeting.ends_at + datetime.timedelta(minutes=5), tick=False):
        after = _overview(client, world.programme)

    assert (">Inbjuden</span>" in before, ">Genomförd</span>" in before) == (True, False)
    assert (">Inbjuden</span>" in after, ">Genomförd</span>" in after) == (False, True)


def test_overview_shows_the_other_language_after_a_switch(world):
    client = client_for(world.project_manager)
    url = reverse("programmes:programme_overview", kwargs={"pk": world.programme.pk})
    swedish = client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()

    assert "Översikt över alla kluster" in swedish
    assert "Overview of all clusters" in english


def test_watched_tables_cover_the_apps_the_cached_pages_read(db):
    tables = freshness.watched_tables()
    assert {Meeting._meta.db_table, Registration._meta.db_table, Answer._meta.db_table} <= tables
    assert Session._meta.db_table not in tables


def test_pages_are_drawn_when_there_is_no_cache(world, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    page = _overview(client_for(world.project_manager), world.programme)

    assert world.cluster.name in page


def _token_after(page: str, action: str) -> str:
    """The CSRF token of the form posting to ``action``."""
    marker = 'name="csrfmiddlewaretoken" value="'
    start = page.index(marker, page.index(f'action="{action}"')) + len(marker)
    return page[start : page.index('"', start)]


def test_a_cached_meeting_plan_carries_each_sessions_own_csrf_token(world):
    from django.test import Client

    meeting = _invited_meeting(world)
    task = meeting.checklist_tasks.order_by("pk").first()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(world.key_person)
    second.force_login(world.key_person)
    url = meeting.get_absolute_url()
    first_page = first.get(url).content.decode()
    second_page = second.get(url).content.decode()  # from the cache
    toggle = reverse("meetings:checklist_task_toggle", kwargs={"pk": task.pk})

    refused = second.post(toggle, {"done": "1", "csrfmiddlewaretoken": "x" * 64})
    token = _token_after(second_page, toggle)
    accepted = second.post(toggle, {"done": "1", "csrfmiddlewaretoken": token})

    assert freshness.CSRF_PLACEHOLDER not in first_page + second_page
    assert token != _token_after(first_page, toggle)
    assert (refused.status_code, accepted.status_code) == (403, 302)
    task.refresh_from_db()
    assert task.done_at is not None


def test_cluster_page_shows_a_task_as_overdue_the_day_after_without_any_write(world):
    meeting = _invited_meeting(world)  # 1 December 2026
    task = meeting.checklist_tasks.filter(days__lt=0).order_by("-days").first()
    due = meeting.starts_at.date() + datetime.timedelta(days=task.days)
    client = client_for(world.key_person)
    url = world.cluster.get_absolute_url()
    with time_machine.travel(datetime.datetime.combine(due, datetime.time(12), tzinfo=TZ)):
        on_the_day = client.get(url).content.decode()
    with time_machine.travel(
        datetime.datetime.combine(due, datetime.time(12), tzinfo=TZ) + datetime.timedelta(days=1)
    ):
        day_after = client.get(url).content.decode()

    assert f"#task-{task.pk}" not in on_the_day
    assert f"#task-{task.pk}" in day_after


def test_pages_are_drawn_every_time_with_the_fragment_cache_switched_off(
    world, settings, monkeypatch
):
    settings.FRAGMENT_CACHE = False
    client = client_for(world.project_manager)
    first = _overview(client, world.programme)

    def no_cache():
        raise AssertionError("the cache was consulted")

    monkeypatch.setattr(freshness, "data_token", no_cache)
    again = _overview(client, world.programme)

    assert first == again
    assert world.cluster.name in again


def test_a_write_while_the_cache_is_down_leaves_no_page_stale_once_it_is_back(db, monkeypatch):
    """The probe cut Redis during a write: the old venue stayed on the page for minutes."""
    import time
    from unittest import mock

    from django.core.cache.backends.locmem import LocMemCache

    monkeypatch.setattr(freshness, "RETRY_SECONDS", 0.05)
    shown = ["old venue"]

    def draw():
        return f"<p>{shown[0]}</p>", None

    assert freshness.cached_fragment("venue", (1,), draw) == "<p>old venue</p>"
    with mock.patch.object(LocMemCache, "set", side_effect=ConnectionError("cache down")):
        shown[0] = "new venue"
        freshness.data_changed()  # the write's replacement of the token fails
        # Meanwhile this process draws the page itself (the cache would give the old one).
        during = freshness.cached_fragment("venue", (1,), draw)
        time.sleep(0.2)
        assert freshness.replacement_pending()
    for _ in range(100):  # the cache is back: the retry replaces the token
        if not freshness.replacement_pending():
            break
        time.sleep(0.05)

    assert during == "<p>new venue</p>"
    assert not freshness.replacement_pending()
    assert freshness.cached_fragment("venue", (1,), draw) == "<p>new venue</p>"


def test_writes_while_a_retry_is_pending_wait_on_nothing_and_are_all_covered(db, monkeypatch):
    import threading
    import time
    from unittest import mock

    from django.core.cache.backends.locmem import LocMemCache

    monkeypatch.setattr(freshness, "RETRY_SECONDS", 0.05)
    calls_here = []
    real_set = LocMemCache.set

    def failing_set(self, *args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            calls_here.append(1)
        raise ConnectionError("cache down")

    with mock.patch.object(LocMemCache, "set", failing_set):
        freshness.data_changed()  # fails: the retry starts
        freshness.data_changed()  # while it is pending: no wait on the cache here
        freshness.data_changed()
        assert freshness.replacement_pending()
    assert calls_here == [1]
    assert LocMemCache.set is real_set
    for _ in range(100):
        if not freshness.replacement_pending():
            break
        time.sleep(0.05)

    assert not freshness.replacement_pending()
    assert freshness._unreplaced == 0
