"""Sending failed mails again: all of a meeting's from its mail page, any from the admin."""

import pytest
from django.urls import reverse

from meetings.models import Meeting
from outbox import services
from outbox.enums import MailPurpose, MailState
from outbox.models import OutgoingMail
from tests.conftest import client_for
from tests.factories import UserFactory, make_cluster


def _mail(meeting, state=MailState.FAILED, **fields) -> OutgoingMail:
    values = {
        "purpose": MailPurpose.MEETING_INVITATION,
        "to_email": "x@kommun.example",
        "subject": "Inbjudan",
        "body_text": "Hej",
        "state": state,
        "last_error": "ConnectionRefusedError: [Errno 111] Connection refused",
        "meeting": meeting,
        **fields,
    }
    return OutgoingMail.objects.create(**values)


def _speaks_english(person) -> None:
    person.language = "en"
    person.save(update_fields=["language"])


@pytest.fixture
def meeting(world):
    return world.cluster.meetings.first()


def _resend_all(user, meeting, *, capture):
    with capture(execute=True):
        return client_for(user).post(
            reverse("meetings:meeting_mails_resend", kwargs={"pk": meeting.pk})
        )


def test_resend_mails_queues_the_failed_ones_and_keeps_their_message_id(world, meeting):
    failed = _mail(meeting, message_id="<1@jambench.local>", attempts=6, interruptions=1)
    sent = _mail(meeting, state=MailState.SENT, last_error="")

    resent = services.resend_mails(OutgoingMail.objects.all())

    failed.refresh_from_db()
    assert resent == 1
    assert (failed.state, failed.attempts, failed.interruptions) == (MailState.QUEUED, 0, 0)
    assert (failed.last_error, failed.failing_since) == ("", None)
    assert failed.message_id == "<1@jambench.local>"
    assert OutgoingMail.objects.get(pk=sent.pk).state == MailState.SENT


@pytest.mark.parametrize("user", ["key_person", "project_manager"])
def test_planner_sends_every_failed_mail_of_the_meeting_again(
    world, meeting, user, mailoutbox, django_capture_on_commit_callbacks
):
    failed = [_mail(meeting, to_email=f"p{n}@kommun.example") for n in range(3)]
    other_meeting = world.cluster.meetings.exclude(pk=meeting.pk).first()
    elsewhere = _mail(other_meeting)

    response = _resend_all(world.user(user), meeting, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == reverse("meetings:meeting_outbox", kwargs={"pk": meeting.pk})
    states = dict(OutgoingMail.objects.values_list("pk", "state"))
    assert [states[m.pk] for m in failed] == [MailState.SENT] * 3
    assert states[elsewhere.pk] == MailState.FAILED
    assert sorted(m.to[0] for m in mailoutbox) == [f"p{n}@kommun.example" for n in range(3)]


def test_invitation_of_an_earlier_version_is_not_sent_again(
    world, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    person = world.participant.pk
    old = _mail(meeting, key=f"invitation:{meeting.pk}:{person}:v1")
    current = _mail(meeting, key=f"invitation:{meeting.pk}:{person}:v2")
    Meeting.objects.filter(pk=meeting.pk).update(invitation_version=2)
    _speaks_english(world.key_person)

    response = _resend_all(world.key_person, meeting, capture=django_capture_on_commit_callbacks)

    states = dict(OutgoingMail.objects.values_list("pk", "state"))
    assert (states[old.pk], states[current.pk]) == (MailState.FAILED, MailState.SENT)
    shown = [str(m) for m in response.wsgi_request._messages]
    assert shown[0] == "1 failed mail was queued again."
    assert shown[1].startswith("1 invitation states an earlier date or venue")


@pytest.mark.parametrize(
    ("user", "status"), [("participant", 403), ("other_cluster_participant", 404)]
)
def test_participant_cannot_send_the_meetings_mails_again(
    world, meeting, user, status, django_capture_on_commit_callbacks
):
    failed = _mail(meeting)

    response = _resend_all(world.user(user), meeting, capture=django_capture_on_commit_callbacks)

    assert response.status_code == status
    assert OutgoingMail.objects.get(pk=failed.pk).state == MailState.FAILED


def test_resend_all_is_post_only(world, meeting):
    url = reverse("meetings:meeting_mails_resend", kwargs={"pk": meeting.pk})

    response = client_for(world.key_person).get(url)

    assert response.status_code == 405


def test_mail_page_offers_the_button_only_with_failed_mails(world, meeting):
    url = reverse("meetings:meeting_outbox", kwargs={"pk": meeting.pk})
    _speaks_english(world.key_person)
    _mail(meeting, state=MailState.SENT, last_error="")
    client = client_for(world.key_person)
    action = reverse("meetings:meeting_mails_resend", kwargs={"pk": meeting.pk})

    without = client.get(url).content.decode()
    _mail(meeting)
    _mail(meeting)
    with_failed = client.get(url).content.decode()

    assert action not in without
    assert action in with_failed
    assert "Send all 2 failed mails again" in with_failed


@pytest.mark.parametrize("mails", [1, 25])
def test_mail_page_queries_do_not_grow_with_mails(world, meeting, mails, django_assert_num_queries):
    for n in range(mails):
        _mail(meeting, state=[MailState.FAILED, MailState.RETRYING, MailState.SENT][n % 3])
    client = client_for(world.key_person)
    client.get(reverse("meetings:meeting_outbox", kwargs={"pk": meeting.pk}))  # warm the session

    with django_assert_num_queries(7):
        response = client.get(reverse("meetings:meeting_outbox", kwargs={"pk": meeting.pk}))

    assert len(response.context["mails"]) == mails


def test_mail_waiting_to_retry_shows_when_it_is_tried_next(world, meeting):
    import datetime

    retry_after = datetime.datetime(2027, 2, 1, 9, 30, tzinfo=datetime.UTC)
    _mail(meeting, state=MailState.RETRYING, retry_after=retry_after)
    _speaks_english(world.key_person)

    page = client_for(world.key_person).get(
        reverse("meetings:meeting_outbox", kwargs={"pk": meeting.pk})
    )

    content = page.content.decode()
    assert "Waiting to retry" in content
    assert "Next attempt 1 February 10:30" in content  # Stockholm time


def test_administrator_sends_selected_failed_mails_again_login_links_too(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    login_link = _mail(None, purpose=MailPurpose.LOGIN_LINK, to_email="a@kommun.example")
    sent = _mail(None, state=MailState.SENT, last_error="")
    admin = UserFactory(is_staff=True, is_superuser=True, language="en")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(
            reverse("admin:outbox_outgoingmail_changelist"),
            {"action": "resend_failed", "_selected_action": [login_link.pk, sent.pk]},
            follow=True,
        )

    assert "1 failed mail was queued again." in response.content.decode()
    assert OutgoingMail.objects.get(pk=login_link.pk).state == MailState.SENT
    assert [m.to for m in mailoutbox] == [["a@kommun.example"]]


def test_staff_without_change_permission_has_no_resend_action(db):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_outgoingmail"))

    response = client_for(viewer).get(reverse("admin:outbox_outgoingmail_changelist"))

    assert response.status_code == 200
    assert "resend_failed" not in response.content.decode()


def test_mails_of_other_clusters_stay_as_they_are(world, django_capture_on_commit_callbacks):
    other = make_cluster(world.programme, organisations=1, name="Skåne").meetings.first()
    failed = _mail(other)
    meeting = world.cluster.meetings.first()

    _resend_all(world.key_person, meeting, capture=django_capture_on_commit_callbacks)

    assert OutgoingMail.objects.get(pk=failed.pk).state == MailState.FAILED
