from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    """Kolada's codes: K (kvinnor), M (män), T (totalt)."""

    WOMEN = "K", _("Women")
    MEN = "M", _("Men")
    TOTAL = "T", _("Total")


class ValueSource(models.TextChoices):
    KOLADA = "kolada", _("Kolada")
    MANUAL = "manual", _("Entered by hand")
    UPLOAD = "upload", _("Uploaded file")


class ThresholdKind(models.TextChoices):
    ABSOLUTE = "absolute", _("Absolute difference (in the key figure's unit)")
    RELATIVE = "relative", _("Relative difference (per cent of the mean of women and men)")
