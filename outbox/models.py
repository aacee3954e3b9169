from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import MailPurpose, MailState


class OutgoingMail(models.Model):
    """One e-mail, kept from the moment it is decided until it is sent or has failed.

    ``key`` makes scheduled mails idempotent: a job that runs twice finds the row and
    creates nothing. Mails a person asks for (login links) have no key. How a row moves
    between its states is told in ``outbox/services.py``.
    """

    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=40, choices=MailPurpose.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_email = models.EmailField(_("to"))
    cc = models.JSONField(_("copy to"), default=list, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mails",
    )
    # Files in default storage shared by every mail of a meeting version:
    # [{"path": ..., "name": ..., "content_type": ...}]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=250)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=MailState.choices, default=MailState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # Set before the mail is first handed to the SMTP server and kept for every later attempt:
    # a receiving system can recognise a copy the server had already accepted.
    message_id = models.CharField(_("Message-ID"), max_length=250, blank=True)
    leased_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    retry_after = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # The first temporary failure since the mail was last queued; the retry budget counts
    # from here.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    interruptions = models.PositiveSmallIntegerField(_("interrupted sends"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "updated_at"])]

    def __str__(self):
        return f"{self.get_purpose_display()} → {self.to_email}"
