from django.db import models
from django.utils.translation import gettext_lazy as _


class MailState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class MailPurpose(models.TextChoices):
    LOGIN_LINK = "login_link", _("Login link")
    PERSON_INVITATION = "person_invitation", _("Invitation to the programme")
