"""The password lockout counts attempts per address, whatever its letter case or spaces."""

import pytest
from django.urls import reverse

from ..factories import PASSWORD, UserFactory

SPELLINGS = [
    "asa.lindstrom@kommun.example",
    "Asa.lindstrom@kommun.example",
    "ASA.LINDSTROM@kommun.example",
]


@pytest.fixture
def person(db):
    return UserFactory(email="asa.lindstrom@kommun.example", is_staff=True)


def _post(client, url, email, password):
    return client.post(url, {"username": email, "password": password})


@pytest.mark.parametrize("url_name", ["accounts:login", "admin:login"])
def test_lockout_with_mixed_spellings_locks_every_spelling(client, person, settings, url_name):
    url = reverse(url_name)
    attempts = [SPELLINGS[i % len(SPELLINGS)] for i in range(settings.AXES_FAILURE_LIMIT)]
    for email in attempts:
        _post(client, url, email, "wrong")

    responses = [_post(client, url, email, "wrong") for email in [*SPELLINGS, f" {SPELLINGS[2]} "]]

    assert [r.status_code for r in responses] == [429, 429, 429, 429]


@pytest.mark.parametrize("url_name", ["accounts:login", "admin:login"])
def test_right_password_with_other_spelling_is_refused_while_locked(
    client, person, settings, url_name
):
    url = reverse(url_name)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(client, url, SPELLINGS[0], "wrong")

    response = _post(client, url, SPELLINGS[2], PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_under_other_spellings_add_up_to_a_lockout(client, person, settings):
    url = reverse("accounts:login")
    for i in range(settings.AXES_FAILURE_LIMIT):
        _post(client, url, SPELLINGS[i % len(SPELLINGS)], "wrong")

    response = _post(client, url, SPELLINGS[0], PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
