from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import MeetingKind


class Meeting(models.Model):
    cluster = models.ForeignKey(
        "programmes.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    kind = models.CharField(_("meeting"), max_length=20, choices=MeetingKind.choices)
    sequence = models.PositiveSmallIntegerField(_("order"))
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    host = models.ForeignKey(
        "programmes.Organisation",
        verbose_name=_("host organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_meetings",
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["cluster", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "kind"], name="meeting_kind_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.cluster}"
