"""SKR's checklist for gender mainstreaming and the organisations' joint self-assessments.

A checklist version is imported from SKR's Excel file and never changes once a round uses it;
a new version is imported beside it. A programme's rounds each name the version they use.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from benchmarking.bilingual import BilingualMixin

from .enums import AssessmentStatus

COMMENT_MAX_LENGTH = 2000


def normalise_comment(text: str) -> str:
    """Comments compare equal whatever line endings a browser or spreadsheet used."""
    return text.replace("\r\n", "\n").strip()


class ChecklistVersion(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    source_name = models.CharField(_("imported from"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("checklists:version_detail", kwargs={"pk": self.pk})

    @property
    def is_in_use(self) -> bool:
        """A version a round uses is immutable: answers refer to its statements."""
        return self.rounds.exists()


class ScaleLevel(BilingualMixin, models.Model):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.CASCADE, related_name="levels")
    value = models.SmallIntegerField(_("value"))
    label = models.CharField(_("level"), max_length=200)
    label_en = models.CharField(_("level (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        ordering = ["version", "value"]
        constraints = [
            models.UniqueConstraint(fields=["version", "value"], name="scale_level_unique")
        ]

    def __str__(self):
        return f"{self.value} – {self.localized_label}"

    @property
    def localized_label(self) -> str:
        return self.localized("label")


class Section(BilingualMixin, models.Model):
    """An area of the checklist (goals, organisation, competence, statistics …)."""

    version = models.ForeignKey(ChecklistVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("area"), max_length=300)
    title_en = models.CharField(_("area (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("checklist area")
        verbose_name_plural = _("checklist areas")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "title"], name="section_title_unique")
        ]

    def __str__(self):
        return self.localized_title

    @property
    def localized_title(self) -> str:
        return self.localized("title")


class Statement(BilingualMixin, models.Model):
    version = models.ForeignKey(
        ChecklistVersion, on_delete=models.CASCADE, related_name="statements"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="statements")
    position = models.PositiveIntegerField(_("position"))
    number = models.CharField(_("number"), max_length=20, blank=True)
    text = models.TextField(_("statement"))
    text_en = models.TextField(_("statement (English)"), blank=True)
    guidance = models.TextField(_("guidance"), blank=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["version", "position"]

    def __str__(self):
        return f"{self.number} {self.localized_text}".strip()

    @property
    def localized_text(self) -> str:
        return self.localized("text")

    @property
    def match_key(self) -> tuple[str, str]:
        """How a statement is recognised in another version of the checklist."""
        return (self.number.strip().lower(), " ".join(self.text.split()).lower())


class AssessmentRound(models.Model):
    """A round of self-assessments in a programme, e.g. the baseline before the start-up."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="assessment_rounds",
    )
    version = models.ForeignKey(
        ChecklistVersion,
        verbose_name=_("checklist version"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    name = models.CharField(_("name"), max_length=200)
    due_on = models.DateField(_("due date"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("self-assessment round")
        verbose_name_plural = _("self-assessment rounds")
        ordering = ["programme", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="round_name_unique")
        ]

    def __str__(self):
        return self.name


class SelfAssessment(models.Model):
    """One organisation's joint self-assessment in a round."""

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    organisation = models.ForeignKey(
        "programmes.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="self_assessments",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    prefilled_from = models.ForeignKey(
        "self",
        verbose_name=_("pre-filled from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["round", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="self_assessment_unique"
            ),
            models.CheckConstraint(
                condition=Q(status=AssessmentStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="self_assessment_submitted_has_time",
                violation_error_message=_("A submitted self-assessment has a time of submission."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.round}"

    def get_absolute_url(self):
        return reverse("checklists:assessment_detail", kwargs={"pk": self.pk})

    @property
    def is_submitted(self) -> bool:
        return self.status == AssessmentStatus.SUBMITTED


class Answer(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="answers")
    level = models.SmallIntegerField(_("level"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_MAX_LENGTH)
    needs_improvement = models.BooleanField(_("needs improvement"), default=False)
    # True while the answer is the previous round's, untouched in this one.
    carried_over = models.BooleanField(_("carried over"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["assessment", "statement__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "statement"], name="answer_unique")
        ]

    def __str__(self):
        return f"{self.statement.number}: {self.level}"
