"""Writing to the outbox and delivering from it."""

import logging
import smtplib
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .enums import MailState
from .models import OutgoingMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


class TemporaryMailError(Exception):
    """Delivery failed in a way that may succeed later (SMTP 4xx, connection lost)."""


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
    from .tasks import task_send_mail

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
    # robust: if the broker is down the mail stays queued (the beat job re-enqueues it) and
    # the person's action, already committed, still succeeds.
    transaction.on_commit(partial(task_send_mail.delay, mail_id=mail.pk), robust=True)
    return mail, True


def claim_mail(mail_id: int) -> OutgoingMail | None:
    """Move a queued mail to 'sending' with one conditional UPDATE, so only one worker wins."""
    claimed = OutgoingMail.objects.filter(pk=mail_id, state=MailState.QUEUED).update(
        state=MailState.SENDING, updated_at=timezone.now()
    )
    return OutgoingMail.objects.get(pk=mail_id) if claimed else None


def _is_temporary(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in error.recipients.values())
    return isinstance(error, (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError))


def deliver_mail(mail: OutgoingMail) -> None:
    """Send a claimed mail and record the outcome; raise TemporaryMailError to ask for a retry."""
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to_email],
        cc=mail.cc,
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    for attachment in mail.attachments:
        with default_storage.open(attachment["path"], "rb") as handle:
            message.attach(attachment["name"], handle.read(), attachment["content_type"])
    attempts = mail.attempts + 1
    try:
        mailers.default.send_messages([message])
    except (smtplib.SMTPException, OSError) as error:
        temporary = _is_temporary(error) and attempts < MAX_ATTEMPTS
        OutgoingMail.objects.filter(pk=mail.pk).update(
            state=MailState.QUEUED if temporary else MailState.FAILED,
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            updated_at=timezone.now(),
        )
        logger.warning("Mail %s to %s failed (%s)", mail.pk, mail.to_email, error)
        if temporary:
            raise TemporaryMailError(str(error)) from error
        return
    now = timezone.now()
    OutgoingMail.objects.filter(pk=mail.pk).update(
        state=MailState.SENT, attempts=attempts, last_error="", sent_at=now, updated_at=now
    )


def resend_mail(mail: OutgoingMail) -> None:
    """Queue a failed mail again, as a person asked after reading why it failed."""
    from .tasks import task_send_mail

    updated = OutgoingMail.objects.filter(pk=mail.pk, state=MailState.FAILED).update(
        state=MailState.QUEUED, attempts=0, last_error="", updated_at=timezone.now()
    )
    if updated:
        transaction.on_commit(partial(task_send_mail.delay, mail_id=mail.pk), robust=True)


def requeue_stale_mail(*, queued_minutes: int = 10, sending_minutes: int = 30) -> int:
    """Re-enqueue queued mails whose task was lost; fail mails stuck in 'sending'.

    A mail stuck in 'sending' may or may not have left: it is marked failed, visible for a
    person to resend, rather than risk sending it twice.
    """
    from .tasks import task_send_mail

    now = timezone.now()
    OutgoingMail.objects.filter(
        state=MailState.SENDING, updated_at__lt=now - timedelta(minutes=sending_minutes)
    ).update(state=MailState.FAILED, last_error="Interrupted while sending.", updated_at=now)
    stale = list(
        OutgoingMail.objects.filter(
            state=MailState.QUEUED,
            updated_at__lt=now - timedelta(minutes=queued_minutes),
        ).values_list("pk", flat=True)
    )
    for mail_id in stale:
        task_send_mail.delay(mail_id=mail_id)
    return len(stale)
