from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Assignment, Cluster, ClusterMembership, Organisation, Programme

        for model in (Programme, Organisation, Cluster, ClusterMembership, Assignment):
            auditlog.register(model)
