import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import Attendance, Diet

# Fields that describe a person's special needs: shown only to the host's key persons and
# SKR's project manager, masked in the audit log, erased some days after the meeting.
SPECIAL_NEEDS_FIELDS = ["diets", "diet_other", "hearing_loop", "accessibility", "other_needs"]


def hide_in_audit_log(value: str) -> str:
    """The audit log records that a special need changed, never what it is."""
    return "[hidden]"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    """A participant's answer to a meeting invitation, with special needs."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="registrations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations"
    )
    organisation = models.ForeignKey(
        "programmes.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, blank=True
    )
    diets = models.JSONField(_("special diet"), default=list, blank=True)
    diet_other = models.CharField(_("other diet or allergy"), max_length=300, blank=True)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessibility = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    other_needs = models.CharField(_("other needs"), max_length=300, blank=True)
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    needs_erased_at = models.DateTimeField(_("special needs erased"), null=True, blank=True)
    evaluation_sent_at = models.DateTimeField(_("evaluation link sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["meeting", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="registration_once_per_meeting"
            )
        ]

    def __str__(self):
        return f"{self.person} – {self.meeting}"

    def get_absolute_url(self):
        return reverse("meetings:registration", kwargs={"token": self.token})

    @property
    def diet_labels(self) -> list[str]:
        return [str(Diet(key).label) for key in self.diets if key in Diet]

    @property
    def has_needs(self) -> bool:
        return bool(
            self.diets
            or self.diet_other
            or self.hearing_loop
            or self.accessibility
            or self.other_needs
        )
