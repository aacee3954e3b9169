from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecklistsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "checklists"
    verbose_name = _("Self-assessments")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.AssessmentRound)
        auditlog.register(models.SelfAssessment, exclude_fields=["updated_at"])
