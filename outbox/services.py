"""Writing to the outbox and delivering from it.

A mail moves through these states (``MailState``)::

    queued --claim--> sending --> sent
      ^                 |  `---> failed    a 5xx answer, or the retry budget is spent
      |                 `------> retrying  anything else; claimable again from retry_after
      `---- resend (a person) <-- failed

- A claim is one conditional UPDATE that gives one worker a lease on the row
  (``leased_until``). A row still in ``sending`` after its lease has run out belonged to a
  worker that died (``kill -9``, the OOM killer taking a pool process), since the lease is
  longer than a send can take: the next claim takes it over, once. Interrupted a second
  time, it may be what kills the worker; the periodic job marks it failed for a person.
- A temporary failure (4xx, a refused or lost connection, a timeout) waits in ``retrying``
  until ``retry_after``, the wait doubling from ``OUTBOX_RETRY_FIRST_SECONDS`` up to
  ``OUTBOX_RETRY_MAX_SECONDS``, for as long as ``OUTBOX_RETRY_BUDGET_SECONDS`` allows,
  counted from the mail's first failure. The worker schedules the retry itself; the periodic
  job sends any retry whose task was lost.
- The periodic job (``requeue_stale_mail``) reads what to do from the state: a mail whose
  task is late by more than ``OUTBOX_QUEUED_GRACE_SECONDS`` (queued that long, or that long
  past its ``retry_after``) has likely lost its task, and a mail whose lease has run out has
  lost its worker; it hands both on. A process that cannot reach the broker leaves its mails
  queued for it, and nothing is lost.

The timings are settings of those names, in seconds, with the defaults in ``DEFAULTS``.

Why a mail may arrive twice, and at most once more per crash. SMTP has no two-phase commit:
the server's "250" after the message and our ``UPDATE ... SET state = 'sent'`` are two
events, and a worker killed between them (or cut off from the database) leaves a row in
``sending`` for a mail the server may have accepted. SMTP offers no way to ask. Not sending
it again risks losing it; sending it again risks a copy, and we choose the copy: the
Message-ID recorded before the first hand-over goes with every attempt, so the receiving
side can recognise it. Only the mail in the killed process's hands is in that window (mails
it had fetched but not begun were never handed over), so a crash duplicates at most one mail
per process it kills; fewer would need the server to take part in our transaction.
"""

import logging
import smtplib
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr
from functools import partial

from celery.exceptions import OperationalError
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .enums import MailState
from .models import OutgoingMail

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Longer than a send can take with the SMTP timeout (30 s for each step of the dialogue).
    "OUTBOX_LEASE_SECONDS": 300,
    "OUTBOX_RETRY_FIRST_SECONDS": 30,
    # Below the Redis visibility timeout (an hour): a waiting retry is not delivered twice.
    "OUTBOX_RETRY_MAX_SECONDS": 1800,
    "OUTBOX_RETRY_BUDGET_SECONDS": 24 * 3600,
    "OUTBOX_QUEUED_GRACE_SECONDS": 600,
}
# An interrupted send is taken over this many times; after that a person decides.
INTERRUPTION_RETRIES = 1
# A worker's timer counts down to a retry on its monotonic clock, which may run a little
# ahead of the wall clock that set ``retry_after``: a retry that starts this much early is
# on time, not a stray that would cut the back-off short.
RETRY_EARLY = timedelta(seconds=1)


class TemporaryMailError(Exception):
    """Delivery failed in a way that may succeed later; the mail waits until ``retry_after``."""

    def __init__(self, message: str, retry_after: datetime):
        super().__init__(message)
        self.retry_after = retry_after


def _timing(name: str) -> timedelta:
    return timedelta(seconds=getattr(settings, name, DEFAULTS[name]))


def make_message(name: str, context: dict) -> tuple[str, str, str]:
    """Render ``templates/emails/<name>_subject.txt``, ``_body.txt`` and ``_body.html``."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = render_to_string(f"emails/{name}_body.txt", context)
    html = render_to_string(f"emails/{name}_body.html", context)
    return subject, text, html


def queue_mail(
    *,
    purpose: str,
    template: str,
    context: dict,
    recipient=None,
    to_email: str | None = None,
    cc: list[str] | None = None,
    key: str | None = None,
    language: str | None = None,
    meeting=None,
    attachments: list[dict] | None = None,
) -> tuple[OutgoingMail, bool]:
    """Create an outbox row (or find the one with the same ``key``) and send it after commit.
    Returns the row and whether this call created it.

    The mail is rendered in the recipient's language unless ``language`` says otherwise.
    """
    if key is not None:
        existing = OutgoingMail.objects.filter(key=key).first()
        if existing is not None:
            return existing, False
    language = language or getattr(recipient, "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        subject, text, html = make_message(
            template, {"recipient": recipient, "LANGUAGE_CODE": language, **context}
        )
    try:
        # A savepoint: when two dispatchers race for the same key, one row wins.
        with transaction.atomic():
            mail = OutgoingMail.objects.create(
                key=key,
                purpose=purpose,
                recipient=recipient,
                to_email=to_email or recipient.email,
                cc=cc or [],
                subject=subject,
                body_text=text,
                body_html=html,
                meeting=meeting,
                attachments=attachments or [],
            )
    except IntegrityError:
        if key is None:
            raise
        return OutgoingMail.objects.get(key=key), False
    _hand_over_after_commit(mail.pk)
    return mail, True


class _HandOver:
    """The hand-over, after commit, of the mails one transaction queued: one go for the lot."""

    def __init__(self, mail_id: int):
        self.mail_ids = [mail_id]

    def __call__(self) -> None:
        hand_over(self.mail_ids)


def _hand_over_after_commit(mail_id: int) -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        savepoints = set(connection.savepoint_ids)
        for sids, func, _robust in connection.run_on_commit:
            # Registered in the same savepoint: it is rolled back, or not, with this mail.
            if isinstance(func, _HandOver) and sids == savepoints:
                func.mail_ids.append(mail_id)
                return
    transaction.on_commit(_HandOver(mail_id), robust=True)


def hand_over(mail_ids: list[int]) -> int:
    """Give mails to the workers; returns how many the broker took. Should it refuse one,
    the rest are not tried either (each try waits seconds on an unreachable broker): they
    stay queued, the periodic job hands them on, and the action that queued them, already
    committed, succeeds."""
    from .tasks import task_send_mail

    for handed, mail_id in enumerate(mail_ids):
        try:
            task_send_mail.delay(mail_id=mail_id)
        except OperationalError as error:
            logger.warning(
                "The broker is unreachable (%s): %d mails stay queued for the periodic job",
                error,
                len(mail_ids) - handed,
            )
            return handed
    return len(mail_ids)


def claim_mail(mail_id: int) -> OutgoingMail | None:
    """Lease a mail to this worker with one conditional UPDATE, so only one worker wins: a
    queued mail, one whose retry is due, or, once, one whose worker's lease ran out. Records
    the Message-ID before anything reaches the SMTP server."""
    now = timezone.now()
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "jambench"
    lease = {
        "state": MailState.SENDING,
        "leased_until": now + _timing("OUTBOX_LEASE_SECONDS"),
        # Made at the first claim, kept for every later one.
        "message_id": Coalesce(NullIf("message_id", Value("")), Value(make_msgid(domain=domain))),
        "updated_at": now,
    }
    mails = OutgoingMail.objects.filter(pk=mail_id)
    claimed = mails.filter(
        Q(state=MailState.QUEUED) | Q(state=MailState.RETRYING, retry_after__lte=now + RETRY_EARLY)
    ).update(**lease)
    if not claimed:
        claimed = mails.filter(
            state=MailState.SENDING,
            leased_until__lte=now,
            interruptions__lt=INTERRUPTION_RETRIES,
        ).update(**lease, interruptions=F("interruptions") + 1)
        if claimed:
            logger.warning("Mail %s was interrupted while sending; sending it again", mail_id)
    return mails.get() if claimed else None


def _is_permanent(error: Exception) -> bool:
    """Only the server's 5xx answer is final; a 4xx answer, a refused or lost connection and
    a timeout may all pass."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(code >= 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _message(mail: OutgoingMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to_email],
        cc=mail.cc,
        headers={"Message-ID": mail.message_id},
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    for attachment in mail.attachments:
        with default_storage.open(attachment["path"], "rb") as handle:
            message.attach(attachment["name"], handle.read(), attachment["content_type"])
    return message


def _record(mail: OutgoingMail, state: MailState, **fields) -> bool:
    """Record an attempt's outcome, if this worker still holds the lease (if it ran out, the
    worker that took the mail over records its own)."""
    recorded = OutgoingMail.objects.filter(
        pk=mail.pk, state=MailState.SENDING, leased_until=mail.leased_until
    ).update(
        state=state,
        attempts=mail.attempts + 1,
        leased_until=None,
        updated_at=timezone.now(),
        **fields,
    )
    if not recorded:
        logger.warning("Mail %s: the lease ran out before the outcome was recorded", mail.pk)
    return bool(recorded)


def deliver_mail(mail: OutgoingMail) -> None:
    """Send a claimed mail and record the outcome; raise TemporaryMailError to ask for a retry."""
    try:
        message = _message(mail)
    except (OSError, ValueError) as error:  # an attachment gone from storage: a person decides
        _record(mail, MailState.FAILED, last_error=f"{type(error).__name__}: {error}"[:2000])
        return
    try:
        mailers.default.send_messages([message])
    except (ValueError, UnicodeError) as error:  # an address or header no server takes
        logger.warning("Mail %s to %s cannot be sent (%s)", mail.pk, mail.to_email, error)
        _record(mail, MailState.FAILED, last_error=f"{type(error).__name__}: {error}"[:2000])
        return
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Mail %s to %s failed (%s)", mail.pk, mail.to_email, error)
        now = timezone.now()
        last_error = f"{type(error).__name__}: {error}"[:2000]
        failing_since = mail.failing_since or now
        budget = _timing("OUTBOX_RETRY_BUDGET_SECONDS")
        if _is_permanent(error):
            _record(mail, MailState.FAILED, last_error=last_error, retry_after=None)
        elif now - failing_since >= budget:
            _record(
                mail,
                MailState.FAILED,
                last_error=f"{last_error} (still failing after {budget})",
                retry_after=None,
            )
        else:
            wait = _timing("OUTBOX_RETRY_FIRST_SECONDS") * 2 ** min(mail.attempts, 20)
            retry_after = now + min(wait, _timing("OUTBOX_RETRY_MAX_SECONDS"))
            if _record(
                mail,
                MailState.RETRYING,
                last_error=last_error,
                retry_after=retry_after,
                failing_since=failing_since,
            ):
                raise TemporaryMailError(str(error), retry_after) from error
        return
    now = timezone.now()
    _record(mail, MailState.SENT, last_error="", sent_at=now, retry_after=None, failing_since=None)


def resend_mails(mails: QuerySet[OutgoingMail]) -> int:
    """Queue the failed ones among ``mails`` again, as a person asked after reading why they
    failed; returns how many. Each keeps its Message-ID."""
    failed = list(mails.filter(state=MailState.FAILED).order_by("pk").values_list("pk", flat=True))
    resent = OutgoingMail.objects.filter(pk__in=failed, state=MailState.FAILED).update(
        state=MailState.QUEUED,
        attempts=0,
        interruptions=0,
        last_error="",
        retry_after=None,
        failing_since=None,
        updated_at=timezone.now(),
    )
    if resent:
        transaction.on_commit(partial(hand_over, failed), robust=True)
    return resent


def resend_mail(mail: OutgoingMail) -> None:
    """Queue a failed mail again, as a person asked after reading why it failed."""
    resend_mails(OutgoingMail.objects.filter(pk=mail.pk))


def requeue_stale_mail() -> int:
    """The periodic job: hand on every mail whose task may be lost, and fail a mail whose send
    was interrupted twice. Returns how many mails it handed on."""
    now = timezone.now()
    expired = Q(state=MailState.SENDING, leased_until__lte=now)
    OutgoingMail.objects.filter(expired, interruptions__gte=INTERRUPTION_RETRIES).update(
        state=MailState.FAILED,
        leased_until=None,
        last_error="Interrupted twice while sending; it may have been delivered.",
        updated_at=now,
    )
    # A task is late by more than the grace: it is likely lost (the broker was down, or a
    # killed worker had fetched it). Earlier, the mail is left to its task.
    late = now - _timing("OUTBOX_QUEUED_GRACE_SECONDS")
    overdue = Q(state=MailState.QUEUED, updated_at__lte=late) | Q(
        state=MailState.RETRYING, retry_after__lte=late
    )
    stale = list(
        OutgoingMail.objects.filter(overdue | expired).order_by("pk").values_list("pk", flat=True)
    )
    # Queued anew: the next run leaves them to this run's tasks for another grace period.
    OutgoingMail.objects.filter(overdue, pk__in=stale).update(
        state=MailState.QUEUED, updated_at=now
    )
    return hand_over(stale)
