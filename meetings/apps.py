from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import (
            AgendaItem,
            ChecklistTask,
            Meeting,
            MeetingDocument,
            PreparationDone,
            Registration,
        )
        from .models.registration import SPECIAL_NEEDS_FIELDS

        for model in (Meeting, AgendaItem, ChecklistTask, PreparationDone, MeetingDocument):
            auditlog.register(model)
        auditlog.register(
            Registration,
            exclude_fields=["token"],
            mask_fields=SPECIAL_NEEDS_FIELDS,
            mask_callable="meetings.models.registration.hide_in_audit_log",
        )
