"""Each organisation's improvement plan: actions from its self-assessment and key figures,
followed up at the cluster's meetings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programmes.enums import Role

from .enums import ActionArea, ActionStatus


class ImprovementAction(models.Model):
    # What people edit on an action (the form's fields; the services accept only these).
    EDITABLE_FIELDS = [
        "title",
        "description",
        "area",
        "responsible_role",
        "responsible_person",
        "starts_on",
        "due_on",
        "status",
    ]

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="improvement_actions"
    )
    organisation = models.ForeignKey(
        "programmes.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="improvement_actions",
    )
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    area = models.CharField(
        _("area"), max_length=20, choices=ActionArea.choices, default=ActionArea.OTHER
    )
    statement = models.ForeignKey(
        "checklists.Statement",
        verbose_name=_("checklist statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_actions",
    )
    organisation_kpi = models.ForeignKey(
        "keyfigures.OrganisationKpi",
        verbose_name=_("key figure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_actions",
    )
    responsible_role = models.CharField(
        _("responsible role"), max_length=20, choices=Role.choices, blank=True
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["organisation__name", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(due_on__gte=models.F("starts_on")),
                name="action_period_valid",
                violation_error_message=_("The due date is before the start."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:action_update", kwargs={"pk": self.pk})


class FollowUp(models.Model):
    """A note on an action's progress, usually made for one of the cluster's meetings."""

    action = models.ForeignKey(
        ImprovementAction, on_delete=models.CASCADE, related_name="follow_ups"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_follow_ups",
    )
    note = models.TextField(_("follow-up"))
    status = models.CharField(_("status then"), max_length=20, choices=ActionStatus.choices)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["action", "created_at", "pk"]

    def __str__(self):
        return self.note[:60]
