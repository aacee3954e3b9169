from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes")

    def ready(self):
        from auditlog.registry import auditlog
        from django.db import connections
        from django.db.backends.signals import connection_created
        from django.db.models import fields

        from benchmarking.freshness import watch_connection

        # Every write to our tables makes cached shared pages out of date.
        connection_created.connect(watch_connection, dispatch_uid="jambench-freshness")
        for connection in connections.all(initialized_only=True):
            watch_connection(None, connection)

        # Django 6.1's empty choice of select fields, in our words (and our catalogues).
        fields.BLANK_CHOICE_LABEL = _("Choose …")

        from .models import Assignment, Cluster, ClusterMembership, Organisation, Programme

        for model in (Programme, Organisation, Cluster, ClusterMembership, Assignment):
            auditlog.register(model)
