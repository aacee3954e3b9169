from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationAnswer(models.Model):
    """A participant's answer to the built-in evaluation of a meeting: one per registration."""

    registration = models.OneToOneField(
        "meetings.Registration", on_delete=models.CASCADE, related_name="evaluation"
    )
    ratings = models.JSONField(_("ratings"), default=dict)  # question key -> 1..5
    comment = models.TextField(_("comment"), blank=True)
    questions_version = models.PositiveSmallIntegerField(default=1)
    answered_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")

    def __str__(self):
        return str(self.registration)
