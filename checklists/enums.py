from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
