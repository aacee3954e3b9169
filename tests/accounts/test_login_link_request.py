"""Asking for a login link does the same work for every address: nothing on the request
path tells whether an account exists (no timing, no queries, no different answer)."""

import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from kombu.exceptions import OperationalError

from accounts.tasks import task_send_login_link
from accounts.views import _send_login_link_later
from outbox.models import OutgoingMail

from ..factories import UserFactory

KNOWN = "karin@uppsala.example"
UNKNOWN = "nobody@uppsala.example"


@pytest.fixture
def person(db):
    return UserFactory(email=KNOWN)


def _page(response, email):
    """The page as a reader sees it, with the address and the per-response CSRF mask set aside."""
    page = response.content.decode().replace(email, "ADDRESS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def _request_link(client, email, capture_on_commit):
    with CaptureQueriesContext(connection) as queries, capture_on_commit() as callbacks:
        response = client.post(reverse("accounts:login_link_request"), {"email": email})
    return response, queries, callbacks


def test_login_link_request_does_the_same_work_for_known_and_unknown_addresses(
    client, person, django_capture_on_commit_callbacks
):
    known, known_queries, known_callbacks = _request_link(
        client, KNOWN, django_capture_on_commit_callbacks
    )
    unknown, unknown_queries, unknown_callbacks = _request_link(
        client, UNKNOWN, django_capture_on_commit_callbacks
    )

    assert known.status_code == unknown.status_code == 200
    assert _page(known, KNOWN) == _page(unknown, UNKNOWN)
    # The request itself never looks the address up: the account is found after the response.
    assert [q["sql"] for q in known_queries] == []
    assert [q["sql"] for q in unknown_queries] == []
    assert [(c.func, c.args) for c in known_callbacks] == [(_send_login_link_later, (KNOWN,))]
    assert [(c.func, c.args) for c in unknown_callbacks] == [(_send_login_link_later, (UNKNOWN,))]


def test_login_link_task_queues_the_mail_for_a_known_address(person, mailoutbox):
    task_send_login_link(email="Karin@Uppsala.example")

    assert OutgoingMail.objects.get().recipient == person


def test_login_link_task_for_unknown_address_queues_nothing(db, mailoutbox):
    task_send_login_link(email=UNKNOWN)

    assert OutgoingMail.objects.count() == 0
    assert mailoutbox == []


def test_login_link_request_answers_when_broker_is_down(
    client, person, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(task_send_login_link, "delay", side_effect=OperationalError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("accounts:login_link_request"), {"email": KNOWN})

    assert response.status_code == 200
    assert response.templates[0].name == "accounts/login_link_sent.html"
    # The link is not lost: its outbox row waits for the periodic job.
    assert OutgoingMail.objects.get().recipient == person


def test_parallel_requests_for_one_address_queue_one_link(person, mailoutbox):
    """Two workers each find no recent link and queue one: the key lets only one through."""
    first = task_send_login_link(email=KNOWN)
    # The second request raced past the throttle's check (as a parallel worker would).
    with mock.patch("accounts.services.OutgoingMail.objects.filter") as raced:
        raced.return_value.exists.return_value = False
        second = task_send_login_link(email=KNOWN)

    assert (first, second) == (True, False)
    assert OutgoingMail.objects.count() == 1
