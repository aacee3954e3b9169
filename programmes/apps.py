from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes")

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models import fields

        # Django 6.1's empty choice of select fields, in our words (and our catalogues).
        fields.BLANK_CHOICE_LABEL = _("Choose …")

        from .models import Assignment, Cluster, ClusterMembership, Organisation, Programme

        for model in (Programme, Organisation, Cluster, ClusterMembership, Assignment):
            auditlog.register(model)
