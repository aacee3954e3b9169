from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import ORGANISATION_ROLES, OrganisationKind, Role

kolada_id_validator = RegexValidator(
    r"^\d{4}$", _("A Kolada id is four digits, for example 0380 (Uppsala) or 0003 (a region).")
)


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    evaluation_form_url = models.URLField(
        _("evaluation form URL"),
        blank=True,
        help_text=_("The form participants are sent after each meeting."),
    )
    invitation_lead_days = models.PositiveSmallIntegerField(
        _("invitations sent (days before a meeting)"), default=14
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminders sent (days before a meeting)"),
        default=7,
        help_text=_("To those who have not answered, and to key persons about open tasks."),
    )
    evaluation_reminder_days = models.PositiveSmallIntegerField(
        _("evaluation reminder (days after the evaluation link)"), default=5
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="programme_period_valid",
                violation_error_message=_("The programme ends before it starts."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:programme_manage", kwargs={"pk": self.pk})


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    kolada_id = models.CharField(
        _("Kolada id"),
        max_length=4,
        blank=True,
        validators=[kolada_id_validator],
        help_text=_("The official municipality or region code used by Kolada."),
    )
    description = models.TextField(
        _("facts and current situation"),
        blank=True,
        help_text=_(
            "The organisation's description of itself on the common template: facts, "
            "its current situation and its work with gender mainstreaming."
        ),
    )
    website = models.URLField(_("website"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kolada_id"],
                condition=~Q(kolada_id=""),
                name="organisation_kolada_unique",
                violation_error_message=_("Another organisation already has this Kolada id."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:organisation_detail", kwargs={"pk": self.pk})


class Cluster(models.Model):
    """A benchmarking group: one mentor organisation and a few benchmarking organisations."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="clusters"
    )
    name = models.CharField(_("name"), max_length=200)
    organisations = models.ManyToManyField(
        Organisation, through="ClusterMembership", related_name="clusters"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cluster_name_unique")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:cluster_detail", kwargs={"pk": self.pk})


class ClusterMembership(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cluster_memberships"
    )
    is_mentor = models.BooleanField(_("mentor organisation"), default=False)

    class Meta:
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")
        ordering = ["-is_mentor", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "organisation"], name="membership_unique_per_cluster"
            ),
            models.UniqueConstraint(
                fields=["cluster"],
                condition=Q(is_mentor=True),
                name="membership_one_mentor",
                violation_error_message=_("A cluster has one mentor organisation."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.cluster})"


ROLE_ORDER = [Role.PROJECT_MANAGER, Role.KEY_PERSON, Role.ELECTED_OFFICIAL, Role.MANAGER]


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)

    def with_role_order(self):
        """Annotate ``role_order``: SKR, key person, elected official, manager."""
        return self.annotate(
            role_order=models.Case(
                *(models.When(role=role, then=index) for index, role in enumerate(ROLE_ORDER)),
                output_field=models.IntegerField(),
            )
        )


class Assignment(models.Model):
    """A person's role in a programme: for an organisation, or as SKR's project manager.

    Assignments are never deleted when someone leaves: they are ended, and a hand-over
    points to the successor's assignment, so the history of who held a role is kept.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_substitute = models.BooleanField(_("substitute"), default=False)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    handed_over_to = models.OneToOneField(
        "self",
        verbose_name=_("handed over to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handed_over_from",
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["programme", "organisation__name", "role", "person__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.PROJECT_MANAGER) & Q(organisation__isnull=True))
                | (Q(role__in=ORGANISATION_ROLES) & Q(organisation__isnull=False)),
                name="assignment_organisation_matches_role",
                violation_error_message=_(
                    "An SKR project manager has no organisation; every other role has one."
                ),
            ),
            models.UniqueConstraint(
                fields=["programme", "person", "role"],
                condition=Q(ended_at__isnull=True),
                name="assignment_active_unique",
                violation_error_message=_("The person already has this role in the programme."),
            ),
        ]

    def __str__(self):
        where = self.organisation or _("SKR")
        return f"{self.person} – {self.get_role_display()} ({where})"

    @property
    def is_active(self):
        return self.ended_at is None


class FactSheet(models.Model):
    """An organisation's fact sheet for a programme, on SKR's common template ("Kommunfakta"):
    the decision on gender mainstreaming, the resources set aside, the current situation and
    how stakeholders are told. Filled in by the key person before the start-up meeting."""

    EDITABLE_FIELDS = [
        "decided_by",
        "decided_on",
        "responsible",
        "decision",
        "elected_official",
        "elected_official_time",
        "manager",
        "manager_time",
        "key_person",
        "key_person_time",
        "population_year",
        "population_women",
        "population_men",
        "population_total",
        "organisation_facts",
        "goals",
        "priorities",
        "communication",
        "other_facts",
    ]

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="fact_sheets")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="fact_sheets"
    )
    decided_by = models.CharField(
        _("who decided"),
        max_length=300,
        blank=True,
        help_text=_("For example the municipal council or the regional board."),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    responsible = models.CharField(_("who is responsible"), max_length=300, blank=True)
    decision = models.TextField(_("the decision"), blank=True)
    elected_official = models.CharField(_("elected official"), max_length=300, blank=True)
    elected_official_time = models.CharField(
        _("elected official's time set aside"), max_length=200, blank=True
    )
    manager = models.CharField(_("manager"), max_length=300, blank=True)
    manager_time = models.CharField(_("manager's time set aside"), max_length=200, blank=True)
    key_person = models.CharField(_("key person"), max_length=300, blank=True)
    key_person_time = models.CharField(_("key person's time set aside"), max_length=200, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    population_women = models.PositiveIntegerField(_("women"), null=True, blank=True)
    population_men = models.PositiveIntegerField(_("men"), null=True, blank=True)
    population_total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    population_from_kolada = models.BooleanField(_("population from Kolada"), default=False)
    organisation_facts = models.TextField(
        _("the organisation"),
        blank=True,
        help_text=_("Committees, administrations, employees, budget."),
    )
    goals = models.TextField(_("goals for gender equality"), blank=True)
    priorities = models.TextField(_("prioritised areas"), blank=True)
    communication = models.TextField(
        _("how stakeholders are told why and how"),
        blank=True,
        help_text=_("Employees, residents, partners: how they learn why and how you work."),
    )
    other_facts = models.TextField(_("other facts"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("fact sheet")
        verbose_name_plural = _("fact sheets")
        ordering = ["programme", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="fact_sheet_unique_per_programme"
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.programme})"

    def get_absolute_url(self):
        return reverse(
            "programmes:fact_sheet",
            kwargs={"programme_pk": self.programme_id, "organisation_pk": self.organisation_id},
        )
