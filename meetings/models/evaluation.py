from django.db import models
from django.utils.translation import gettext_lazy as _


def valid_rating(value) -> bool:
    """A rating counts when it is a whole number from 1 to 5 (not a boolean or text)."""
    return type(value) is int and 1 <= value <= 5


class EvaluationAnswer(models.Model):
    """A participant's answer to the built-in evaluation of a meeting: one per registration."""

    registration = models.OneToOneField(
        "meetings.Registration", on_delete=models.CASCADE, related_name="evaluation"
    )
    ratings = models.JSONField(_("ratings"), default=dict)  # question key -> 1..5
    # The sum and number of the valid ratings, kept with them so that means over thousands
    # of answers are summed by the database (answers are never changed once given).
    rating_total = models.PositiveIntegerField(default=0, editable=False)
    rating_count = models.PositiveSmallIntegerField(default=0, editable=False)
    comment = models.TextField(_("comment"), blank=True)
    questions_version = models.PositiveSmallIntegerField(default=1)
    answered_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")

    def __str__(self):
        return str(self.registration)

    def save(self, *args, **kwargs):
        self.count_ratings()
        super().save(*args, **kwargs)

    def count_ratings(self) -> "EvaluationAnswer":
        """Set the total and count from the ratings (call it before a bulk_create)."""
        valid = [value for value in self.ratings.values() if valid_rating(value)]
        self.rating_total, self.rating_count = sum(valid), len(valid)
        return self
