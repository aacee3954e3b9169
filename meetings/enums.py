from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    """The four meetings of a cluster, in the order the model holds them."""

    STARTUP = "startup", _("Start-up meeting")
    BENCHMARKING_1 = "benchmarking_1", _("Benchmarking meeting 1")
    BENCHMARKING_2 = "benchmarking_2", _("Benchmarking meeting 2")
    BENCHMARKING_3 = "benchmarking_3", _("Benchmarking meeting 3")
