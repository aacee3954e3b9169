import smtplib
from unittest import mock

import pytest

from outbox import services
from outbox.enums import MailPurpose, MailState
from outbox.models import OutgoingMail
from outbox.tasks import task_send_mail


@pytest.fixture
def queued(db):
    return OutgoingMail.objects.create(
        purpose=MailPurpose.LOGIN_LINK,
        to_email="a@kommun.example",
        cc=["pm@skr.example"],
        subject="Ämne",
        body_text="Text",
        body_html="<p>Text</p>",
    )


def test_send_marks_sent_and_delivers_with_copy(queued, mailoutbox):
    task_send_mail(mail_id=queued.pk)

    queued.refresh_from_db()
    assert queued.state == MailState.SENT
    assert queued.sent_at is not None
    assert [(m.to, m.cc, m.subject) for m in mailoutbox] == [
        (["a@kommun.example"], ["pm@skr.example"], "Ämne")
    ]


def test_mail_delivered_twice_is_sent_once(queued, mailoutbox):
    task_send_mail(mail_id=queued.pk)
    task_send_mail(mail_id=queued.pk)

    assert len(mailoutbox) == 1


def test_claim_is_won_by_one_caller_only(queued):
    assert services.claim_mail(queued.pk) is not None
    assert services.claim_mail(queued.pk) is None


def test_temporary_smtp_error_requeues_for_retry(queued):
    error = smtplib.SMTPResponseException(451, b"try later")
    claimed = services.claim_mail(queued.pk)
    with (
        mock.patch("outbox.services.mailers") as mailers,
        pytest.raises(services.TemporaryMailError),
    ):
        mailers.default.send_messages.side_effect = error
        services.deliver_mail(claimed)

    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == (MailState.QUEUED, 1)
    assert "451" in queued.last_error


def test_permanent_smtp_error_fails_without_retry(queued):
    error = smtplib.SMTPResponseException(550, b"no such user")
    claimed = services.claim_mail(queued.pk)
    with mock.patch("outbox.services.mailers") as mailers:
        mailers.default.send_messages.side_effect = error
        services.deliver_mail(claimed)

    queued.refresh_from_db()
    assert queued.state == MailState.FAILED
    assert "550" in queued.last_error


def test_queue_mail_with_same_key_creates_one_row(db, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    person = UserFactory()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.queue_mail(
                purpose=MailPurpose.LOGIN_LINK,
                template="login_link",
                context={"login_url": "http://x"},
                recipient=person,
                key="same",
            )

    assert OutgoingMail.objects.filter(key="same").count() == 1


def test_rolled_back_transaction_leaves_no_mail(db, mailoutbox):
    from django.db import transaction

    from tests.factories import UserFactory

    person = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.queue_mail(
            purpose=MailPurpose.LOGIN_LINK,
            template="login_link",
            context={"login_url": "http://x"},
            recipient=person,
        )
        raise RuntimeError

    assert OutgoingMail.objects.count() == 0
    assert mailoutbox == []
