from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeyfiguresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "keyfigures"
    verbose_name = _("Key figures")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.OrganisationKpi)
