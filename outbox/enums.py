from django.db import models
from django.utils.translation import gettext_lazy as _


class MailState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    # Claimed by a worker until the lease runs out (``leased_until``).
    SENDING = "sending", _("Sending")
    # A temporary failure; tried again from ``retry_after``.
    RETRYING = "retrying", _("Waiting to retry")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class MailPurpose(models.TextChoices):
    LOGIN_LINK = "login_link", _("Login link")
    PERSON_INVITATION = "person_invitation", _("Invitation to the programme")
    ROLE_ENDED = "role_ended", _("Role ended")
    MEETING_INVITATION = "meeting_invitation", _("Meeting invitation")
    MEETING_UPDATE = "meeting_update", _("Meeting update")
    MEETING_INVITATION_COPY = "meeting_invitation_copy", _("Copy of a meeting invitation")
    REGISTRATION_REMINDER = "registration_reminder", _("Registration reminder")
    ORGANISER_REMINDER = "organiser_reminder", _("Reminder of open organiser tasks")
    EVALUATION = "evaluation", _("Evaluation link")
    EVALUATION_REMINDER = "evaluation_reminder", _("Evaluation reminder")
