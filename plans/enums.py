from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    PAUSED = "paused", _("Paused")


class ActionArea(models.TextChoices):
    CHECKLIST = "checklist", _("Checklist statement")
    KEY_FIGURE = "key_figure", _("Key figure")
    OTHER = "other", _("Other")
