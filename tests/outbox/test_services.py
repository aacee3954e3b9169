import contextlib
import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from celery.exceptions import OperationalError
from django.utils import timezone

from outbox import services
from outbox.enums import MailPurpose, MailState
from outbox.models import OutgoingMail
from outbox.tasks import task_send_mail

NOW = datetime.datetime(2027, 2, 1, 9, 0, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)


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


@pytest.fixture
def smtp():
    """The mailer that ``deliver_mail`` uses, replaced: set ``side_effect`` to fail a send."""
    with mock.patch("outbox.services.mailers") as mailers:
        yield mailers.default.send_messages


def _fail_once(mail_id: int, error: Exception, smtp) -> OutgoingMail:
    """One attempt that fails with ``error``, made now (a waiting retry is due now)."""
    OutgoingMail.objects.filter(pk=mail_id, state=MailState.RETRYING).update(
        retry_after=timezone.now()
    )
    smtp.side_effect = error
    claimed = services.claim_mail(mail_id)
    with contextlib.suppress(services.TemporaryMailError):
        services.deliver_mail(claimed)
    return OutgoingMail.objects.get(pk=mail_id)


def test_send_marks_sent_and_delivers_with_copy(queued, mailoutbox):
    task_send_mail(mail_id=queued.pk)

    queued.refresh_from_db()
    assert queued.state == MailState.SENT
    assert queued.sent_at is not None
    assert queued.leased_until is None
    assert [(m.to, m.cc, m.subject) for m in mailoutbox] == [
        (["a@kommun.example"], ["pm@skr.example"], "Ämne")
    ]


def test_mail_delivered_twice_is_sent_once(queued, mailoutbox):
    task_send_mail(mail_id=queued.pk)
    task_send_mail(mail_id=queued.pk)

    assert len(mailoutbox) == 1


def test_message_carries_the_message_id_recorded_before_smtp(queued, smtp):
    recorded = []
    smtp.side_effect = lambda messages: recorded.append(
        (OutgoingMail.objects.get(pk=queued.pk).message_id, messages[0].message()["Message-ID"])
    )

    services.deliver_mail(services.claim_mail(queued.pk))

    ((in_database, in_header),) = recorded
    assert in_database == in_header
    assert in_header.startswith("<")
    assert in_header.endswith("@jambench.local>")


# The lease


def test_claim_is_won_by_one_caller_only(queued):
    assert services.claim_mail(queued.pk) is not None
    assert services.claim_mail(queued.pk) is None


def test_claim_leases_the_mail_for_the_lease_time(queued, settings):
    settings.OUTBOX_LEASE_SECONDS = 120

    with time_machine.travel(NOW, tick=False):
        claimed = services.claim_mail(queued.pk)

    assert claimed.state == MailState.SENDING
    assert claimed.leased_until == NOW + 120 * SECOND
    assert claimed.message_id != ""


def test_claim_leaves_a_mail_whose_lease_still_runs(queued, settings):
    settings.OUTBOX_LEASE_SECONDS = 120
    with time_machine.travel(NOW, tick=False):
        services.claim_mail(queued.pk)

    with time_machine.travel(NOW + 119 * SECOND, tick=False):
        assert services.claim_mail(queued.pk) is None


def test_claim_takes_over_an_interrupted_send_once_with_the_same_message_id(queued, settings):
    settings.OUTBOX_LEASE_SECONDS = 120
    with time_machine.travel(NOW, tick=False):
        first = services.claim_mail(queued.pk)

    with time_machine.travel(NOW + 120 * SECOND, tick=False):
        again = services.claim_mail(queued.pk)
    with time_machine.travel(NOW + 240 * SECOND, tick=False):
        third = services.claim_mail(queued.pk)

    assert (again.state, again.interruptions) == (MailState.SENDING, 1)
    assert again.leased_until == NOW + 240 * SECOND
    assert again.message_id == first.message_id
    assert third is None


def test_worker_that_lost_its_lease_records_nothing(queued, settings, smtp):
    settings.OUTBOX_LEASE_SECONDS = 120
    with time_machine.travel(NOW, tick=False):
        slow = services.claim_mail(queued.pk)
    with time_machine.travel(NOW + 121 * SECOND, tick=False):
        services.claim_mail(queued.pk)  # taken over
        services.deliver_mail(slow)

    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == (MailState.SENDING, 0)


# Waiting to retry


def test_temporary_smtp_error_waits_to_retry(queued, smtp, settings):
    settings.OUTBOX_RETRY_FIRST_SECONDS = 30
    smtp.side_effect = smtplib.SMTPResponseException(451, b"try later")
    claimed = services.claim_mail(queued.pk)

    with (
        time_machine.travel(NOW, tick=False),
        pytest.raises(services.TemporaryMailError) as raised,
    ):
        services.deliver_mail(claimed)

    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == (MailState.RETRYING, 1)
    assert queued.retry_after == raised.value.retry_after == NOW + 30 * SECOND
    assert queued.failing_since == NOW
    assert queued.leased_until is None
    assert "451" in queued.last_error


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connection refused"),
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        TimeoutError("timed out"),
        smtplib.SMTPRecipientsRefused({"a@kommun.example": (450, b"mailbox busy")}),
    ],
)
def test_errors_other_than_a_5xx_answer_are_temporary(queued, smtp, error):
    mail = _fail_once(queued.pk, error, smtp)

    assert mail.state == MailState.RETRYING


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPResponseException(550, b"no such user"),
        smtplib.SMTPRecipientsRefused({"a@kommun.example": (550, b"no such user")}),
        smtplib.SMTPDataError(554, b"message refused"),
    ],
)
def test_permanent_smtp_answer_fails_without_retry(queued, smtp, error):
    mail = _fail_once(queued.pk, error, smtp)

    assert mail.state == MailState.FAILED
    assert mail.retry_after is None
    assert mail.last_error.startswith(type(error).__name__)


def test_wait_doubles_up_to_the_longest_wait(queued, smtp, settings):
    settings.OUTBOX_RETRY_FIRST_SECONDS = 30
    settings.OUTBOX_RETRY_MAX_SECONDS = 100
    waits = []
    for minute in range(4):
        moment = NOW + datetime.timedelta(minutes=10 * minute)
        with time_machine.travel(moment, tick=False):
            mail = _fail_once(queued.pk, ConnectionRefusedError(111, "refused"), smtp)
        waits.append((mail.retry_after - moment).total_seconds())

    assert waits == [30, 60, 100, 100]


def test_mail_waiting_to_retry_is_claimed_from_its_time_only(queued, smtp, settings):
    settings.OUTBOX_RETRY_FIRST_SECONDS = 30
    with time_machine.travel(NOW, tick=False):
        _fail_once(queued.pk, ConnectionRefusedError(111, "refused"), smtp)

    with time_machine.travel(NOW + 28 * SECOND, tick=False):
        early = services.claim_mail(queued.pk)
    with time_machine.travel(NOW + 29.5 * SECOND, tick=False):
        due = services.claim_mail(queued.pk)  # the worker's timer may run a moment early

    assert early is None
    assert due.state == MailState.SENDING


def test_mail_fails_once_the_retry_budget_is_spent(queued, smtp, settings):
    settings.OUTBOX_RETRY_BUDGET_SECONDS = 3600
    with time_machine.travel(NOW, tick=False):
        _fail_once(queued.pk, ConnectionRefusedError(111, "refused"), smtp)
    with time_machine.travel(NOW + 3599 * SECOND, tick=False):
        still = _fail_once(queued.pk, ConnectionRefusedError(111, "refused"), smtp)
    with time_machine.travel(NOW + 3600 * SECOND, tick=False):
        spent = _fail_once(queued.pk, ConnectionRefusedError(111, "refused"), smtp)

    assert still.state == MailState.RETRYING
    assert spent.state == MailState.FAILED
    assert "still failing after 1:00:00" in spent.last_error


def test_success_after_retries_keeps_the_message_id_and_clears_the_failure(queued, smtp):
    failed = _fail_once(queued.pk, ConnectionRefusedError(111, "refused"), smtp)
    smtp.side_effect = None
    OutgoingMail.objects.filter(pk=queued.pk).update(retry_after=failed.retry_after - 60 * SECOND)

    task_send_mail(mail_id=queued.pk)

    queued.refresh_from_db()
    assert queued.state == MailState.SENT
    assert (queued.attempts, queued.last_error, queued.failing_since) == (2, "", None)
    assert queued.message_id == failed.message_id
    sent = smtp.call_args.args[0][0]
    assert sent.message()["Message-ID"] == failed.message_id


def test_missing_attachment_fails_the_mail_for_a_person_to_see(queued):
    OutgoingMail.objects.filter(pk=queued.pk).update(
        attachments=[{"path": "mail/gone.pdf", "name": "gone.pdf", "content_type": "x/y"}]
    )

    task_send_mail(mail_id=queued.pk)

    queued.refresh_from_db()
    assert queued.state == MailState.FAILED
    assert "FileNotFoundError" in queued.last_error


# The periodic job


def _at(minutes: float) -> datetime.datetime:
    return NOW + datetime.timedelta(minutes=minutes)


def test_periodic_job_hands_on_queued_mail_only_after_the_grace(queued, settings):
    settings.OUTBOX_QUEUED_GRACE_SECONDS = 600
    OutgoingMail.objects.filter(pk=queued.pk).update(updated_at=NOW)

    with mock.patch("outbox.services.hand_over", return_value=0) as hand_over:
        with time_machine.travel(_at(9), tick=False):
            services.requeue_stale_mail()
        with time_machine.travel(_at(10), tick=False):
            services.requeue_stale_mail()
        with time_machine.travel(_at(15), tick=False):
            services.requeue_stale_mail()  # handed on at 10: left to that task until 20

    assert [c.args[0] for c in hand_over.call_args_list] == [[], [queued.pk], []]


def test_periodic_job_queues_a_retry_whose_task_is_late_and_leaves_the_rest(queued, settings):
    settings.OUTBOX_QUEUED_GRACE_SECONDS = 600
    later = OutgoingMail.objects.create(
        purpose=MailPurpose.LOGIN_LINK, to_email="b@kommun.example", subject="S", body_text="T"
    )
    OutgoingMail.objects.filter(pk=queued.pk).update(state=MailState.RETRYING, retry_after=_at(0))
    OutgoingMail.objects.filter(pk=later.pk).update(state=MailState.RETRYING, retry_after=_at(5))

    with (
        mock.patch("outbox.services.hand_over", return_value=1) as hand_over,
        time_machine.travel(_at(10), tick=False),  # the later retry's task still has time
    ):
        services.requeue_stale_mail()

    hand_over.assert_called_once_with([queued.pk])
    states = dict(OutgoingMail.objects.values_list("pk", "state"))
    assert states == {queued.pk: MailState.QUEUED, later.pk: MailState.RETRYING}


def test_periodic_job_hands_on_a_mail_whose_lease_ran_out(queued, settings, mailoutbox):
    settings.OUTBOX_LEASE_SECONDS = 300
    with time_machine.travel(NOW, tick=False):
        services.claim_mail(queued.pk)  # and the worker dies

    with time_machine.travel(_at(4), tick=False):
        early = services.requeue_stale_mail()
    with time_machine.travel(_at(5), tick=False):
        handed = services.requeue_stale_mail()  # eager: the task runs here

    queued.refresh_from_db()
    assert (early, handed) == (0, 1)
    assert (queued.state, queued.interruptions) == (MailState.SENT, 1)
    assert len(mailoutbox) == 1


def test_periodic_job_fails_a_mail_interrupted_twice(queued, settings):
    settings.OUTBOX_LEASE_SECONDS = 300
    with time_machine.travel(NOW, tick=False):
        services.claim_mail(queued.pk)
    with time_machine.travel(_at(5), tick=False):
        services.claim_mail(queued.pk)  # taken over, and that worker dies too

    with time_machine.travel(_at(10), tick=False):
        handed = services.requeue_stale_mail()

    queued.refresh_from_db()
    assert handed == 0
    assert (queued.state, queued.leased_until) == (MailState.FAILED, None)
    assert queued.last_error == "Interrupted twice while sending; it may have been delivered."


# An unreachable broker


def _login_link(person):
    return services.queue_mail(
        purpose=MailPurpose.LOGIN_LINK,
        template="login_link",
        context={"login_url": "http://x"},
        recipient=person,
    )


def test_unreachable_broker_leaves_mails_queued_and_the_request_succeeds(
    db, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    people = UserFactory.create_batch(3)
    with (
        mock.patch.object(task_send_mail, "delay", side_effect=OperationalError("x")) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        for person in people:
            _login_link(person)

    # One try: the other mails do not wait on the broker, the periodic job sends them.
    assert delay.call_count == 1
    assert list(OutgoingMail.objects.values_list("state", flat=True)) == [MailState.QUEUED] * 3


def test_hand_over_stops_at_the_first_refusal(db):
    with mock.patch.object(
        task_send_mail, "delay", side_effect=[None, OperationalError("x"), None]
    ) as delay:
        handed = services.hand_over([1, 2, 3])

    assert (handed, delay.call_count) == (1, 2)


def test_mails_of_one_transaction_are_handed_over_together(db, django_capture_on_commit_callbacks):
    from django.db import transaction

    from tests.factories import UserFactory

    first, second, rolled_back = UserFactory.create_batch(3)
    with (
        mock.patch("outbox.services.hand_over") as hand_over,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        kept = [_login_link(first)[0].pk, _login_link(second)[0].pk]
        with pytest.raises(RuntimeError), transaction.atomic():
            _login_link(rolled_back)
            raise RuntimeError

    assert len(callbacks) == 1
    hand_over.assert_called_once_with(kept)


# Queueing


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


@pytest.mark.parametrize(
    "error", [ValueError("Invalid address"), UnicodeEncodeError("ascii", "ö", 0, 1, "no")]
)
def test_a_mail_no_server_can_take_fails_at_once_instead_of_hanging_in_sending(queued, smtp, error):
    mail = _fail_once(queued.pk, error, smtp)

    assert mail.state == MailState.FAILED
    assert mail.leased_until is None
    assert mail.last_error.startswith(type(error).__name__)
