"""Key figures (KPIs) by women and men: Kolada's catalogue entries an organisation chose,
their values per year and sex, and the organisation's deviation threshold for each."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import Gender, ThresholdKind, ValueSource

kpi_id_validator = RegexValidator(
    r"^[A-Z]\d{5}$", _("A Kolada key figure id is a letter and five digits, e.g. N00945.")
)


class Kpi(models.Model):
    """A key figure: from Kolada's catalogue, or the organisation's own (``own`` is True)."""

    code = models.CharField(_("id"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    is_divided_by_gender = models.BooleanField(_("split by women and men"), default=True)
    operating_area = models.CharField(_("operating area"), max_length=300, blank=True)
    own = models.BooleanField(_("own key figure (not in Kolada)"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.title}"


class OrganisationKpi(models.Model):
    """A key figure an organisation prioritised in a programme, with its deviation rule."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="organisation_kpis"
    )
    organisation = models.ForeignKey(
        "programmes.Organisation", on_delete=models.CASCADE, related_name="kpis"
    )
    kpi = models.ForeignKey(Kpi, verbose_name=_("key figure"), on_delete=models.PROTECT)
    threshold_kind = models.CharField(
        _("deviation measured as"),
        max_length=20,
        choices=ThresholdKind.choices,
        default=ThresholdKind.RELATIVE,
    )
    threshold = models.DecimalField(
        _("largest acceptable deviation"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_(
            "How large may the difference between women and men be before action is taken?"
        ),
    )
    motivation = models.TextField(_("why this key figure"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    last_fetched_at = models.DateTimeField(_("fetched from Kolada"), null=True, blank=True)

    class Meta:
        verbose_name = _("prioritised key figure")
        verbose_name_plural = _("prioritised key figures")
        ordering = ["organisation__name", "kpi__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation", "kpi"], name="organisation_kpi_unique"
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.kpi}"


class KpiValue(models.Model):
    """One value of a key figure for an organisation, a year and women, men or the total."""

    organisation = models.ForeignKey(
        "programmes.Organisation", on_delete=models.CASCADE, related_name="kpi_values"
    )
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    gender = models.CharField(_("women, men or total"), max_length=1, choices=Gender.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=ValueSource.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("key figure value")
        verbose_name_plural = _("key figure values")
        ordering = ["kpi", "year", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kpi", "year", "gender"], name="kpi_value_unique"
            )
        ]

    def __str__(self):
        return f"{self.kpi.code} {self.year} {self.gender}: {self.value}"


class SharedKpi(models.Model):
    """A key figure the organisations of a cluster agreed to compare with each other."""

    cluster = models.ForeignKey(
        "programmes.Cluster", on_delete=models.CASCADE, related_name="shared_kpis"
    )
    kpi = models.ForeignKey(Kpi, verbose_name=_("key figure"), on_delete=models.CASCADE)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("shared key figure")
        verbose_name_plural = _("shared key figures")
        ordering = ["cluster", "kpi__code"]
        constraints = [models.UniqueConstraint(fields=["cluster", "kpi"], name="shared_kpi_unique")]

    def __str__(self):
        return f"{self.cluster}: {self.kpi}"


class CauseWorksheet(models.Model):
    """SKR's worksheet for finding the causes of a deviation between women and men, filled in
    by a working group for one of the organisation's key figures. The improvement actions it
    leads to are the plan's actions linked to the same key figure."""

    # The kinds of cause the working group goes through, in the worksheet's order.
    CAUSE_FIELDS = [
        "cause_assessments",
        "cause_access",
        "cause_needs",
        "cause_resources",
        "cause_rules",
        "cause_other",
    ]
    EDITABLE_FIELDS = [*CAUSE_FIELDS, "evidence", "responsible", "decision"]

    organisation_kpi = models.OneToOneField(
        OrganisationKpi,
        verbose_name=_("key figure"),
        on_delete=models.CASCADE,
        related_name="cause_worksheet",
    )
    cause_assessments = models.TextField(
        _("where assessments are made"),
        blank=True,
        help_text=_("Who assesses, and when: are women and men assessed alike?"),
    )
    cause_access = models.TextField(
        _("access"), blank=True, help_text=_("Do women and men find and reach the service alike?")
    )
    cause_needs = models.TextField(
        _("needs"), blank=True, help_text=_("Do the needs of women and men differ, and how?")
    )
    cause_resources = models.TextField(
        _("resources"), blank=True, help_text=_("How are time, money and staff shared?")
    )
    cause_rules = models.TextField(
        _("rules and routines"),
        blank=True,
        help_text=_("Do rules, routines or criteria treat women and men differently?"),
    )
    cause_other = models.TextField(_("other causes"), blank=True)
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("What supports each possible cause: statistics, case reviews, interviews."),
    )
    responsible = models.CharField(_("who is responsible for acting"), max_length=300, blank=True)
    decision = models.TextField(_("what is decided"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("cause worksheet")
        verbose_name_plural = _("cause worksheets")

    def __str__(self):
        return str(self.organisation_kpi)
