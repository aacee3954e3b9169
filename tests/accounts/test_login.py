import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.services import login_link_url
from accounts.tokens import make_login_token
from outbox.models import OutgoingMail

from ..factories import PASSWORD, UserFactory


@pytest.fixture
def person(db):
    return UserFactory(email="karin@uppsala.example")


def _login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_login_with_email_and_password(client, person):
    response = _login(client, "Karin@Uppsala.example", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("programmes:home")
    assert client.session["_auth_user_id"] == str(person.pk)


def test_wrong_password_gets_message(client, person):
    response = _login(client, person.email, "wrong")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_out_even_the_right_password(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, person.email, "wrong")

    response = _login(client, person.email, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_link_request_for_unknown_address_says_the_same_and_sends_nothing(
    client, db, mailoutbox
):
    response = client.post(reverse("accounts:login_link_request"), {"email": "nobody@x.example"})

    assert response.status_code == 200
    assert response.templates[0].name == "accounts/login_link_sent.html"
    assert mailoutbox == []


def test_login_link_mail_logs_in_once(
    client, person, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:login_link_request"), {"email": person.email})
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/login/link/" in line)
    path = link.strip().removeprefix("http://localhost:8000")

    shown = client.get(path)
    logged_in = client.post(path)
    client.logout()
    reused = client.post(path)

    assert shown.status_code == 200
    assert logged_in.status_code == 302
    assert reused.status_code == 400
    assert OutgoingMail.objects.get().state == "sent"


def test_login_link_get_does_not_log_in(client, person):
    client.get(reverse("accounts:login_link", kwargs={"token": make_login_token(person)}))

    assert "_auth_user_id" not in client.session


def test_login_link_expires(client, person, settings):
    person.last_login = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    person.save()
    with time_machine.travel(datetime.datetime(2026, 11, 1, 12, tzinfo=datetime.UTC), tick=False):
        url = login_link_url(person).removeprefix(settings.SITE_URL)
    later = datetime.datetime(2026, 11, 1, 12, tzinfo=datetime.UTC) + datetime.timedelta(
        seconds=settings.LOGIN_LINK_MAX_AGE + 1
    )

    with time_machine.travel(later, tick=False):
        response = client.post(url)

    assert response.status_code == 400


def test_invitation_link_for_new_person_lasts_longer_than_a_login_link(client, person, settings):
    start = datetime.datetime(2026, 11, 1, 12, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        url = login_link_url(person).removeprefix(settings.SITE_URL)

    with time_machine.travel(start + datetime.timedelta(days=7), tick=False):
        response = client.post(url)

    assert response.status_code == 302


def test_tampered_token_is_refused(client, person):
    token = make_login_token(person)

    response = client.post(reverse("accounts:login_link", kwargs={"token": token[:-2] + "xx"}))

    assert response.status_code == 400


def test_person_without_password_sets_one(client, db):
    person = UserFactory()
    person.set_unusable_password()
    person.save()
    client.force_login(person)

    response = client.post(
        reverse("accounts:account"),
        {
            "form": "password",
            "password-new_password1": "ett-långt-lösenord-2026",
            "password-new_password2": "ett-långt-lösenord-2026",
        },
    )

    person.refresh_from_db()
    assert response.status_code == 302
    assert person.check_password("ett-långt-lösenord-2026")


def test_profile_language_is_saved_and_used(client, person):
    client.force_login(person)

    client.post(
        reverse("accounts:account"),
        {"form": "profile", "profile-full_name": "Karin", "profile-language": "en"},
    )
    response = client.get(reverse("programmes:home"))

    person.refresh_from_db()
    assert person.language == "en"
    assert response.content.decode().count("My programme") >= 1


def test_language_switch_remembers_choice_on_account(client, person):
    client.force_login(person)

    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    person.refresh_from_db()
    assert person.language == "en"


def test_email_is_unique_regardless_of_case(db):
    from django.db import IntegrityError

    UserFactory(email="a@kommun.example")
    with pytest.raises(IntegrityError):
        UserFactory(email="A@kommun.example")


def test_second_login_link_within_throttle_is_not_sent(
    client, person, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:login_link_request"), {"email": person.email})

    assert response.status_code == 200
    assert len(mailoutbox) == 1


def test_login_link_request_succeeds_when_broker_is_down(
    client, person, django_capture_on_commit_callbacks
):
    from unittest import mock

    from kombu.exceptions import OperationalError

    with (
        mock.patch("outbox.tasks.task_send_mail.delay", side_effect=OperationalError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("accounts:login_link_request"), {"email": person.email})

    assert response.status_code == 200
    assert OutgoingMail.objects.get().state == "queued"
