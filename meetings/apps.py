from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import AgendaItem, ChecklistTask, Meeting, MeetingDocument, PreparationDone

        for model in (Meeting, AgendaItem, ChecklistTask, PreparationDone, MeetingDocument):
            auditlog.register(model)
