from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = _("Improvement plans")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.ImprovementAction)
        auditlog.register(models.FollowUp)
