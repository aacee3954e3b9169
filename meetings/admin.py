from django.contrib import admin

from .models import (
    AgendaItem,
    ChecklistTask,
    Meeting,
    MeetingDocument,
    Preparation,
    Registration,
)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["cluster", "kind", "starts_at", "host", "venue"]
    list_filter = ["kind", "cluster__programme"]
    list_select_related = ["cluster", "host"]
    search_fields = ["cluster__name", "venue"]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["meeting", "position", "title", "duration", "format"]
    list_select_related = ["meeting__cluster"]
    search_fields = ["title"]


@admin.register(ChecklistTask)
class ChecklistTaskAdmin(admin.ModelAdmin):
    list_display = ["meeting", "phase", "text", "days", "done_at"]
    list_filter = ["phase"]
    list_select_related = ["meeting__cluster"]


@admin.register(Preparation)
class PreparationAdmin(admin.ModelAdmin):
    list_display = ["meeting", "text", "days_before", "who"]
    list_select_related = ["meeting__cluster"]


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(admin.ModelAdmin):
    list_display = ["meeting", "title", "kind", "organisation", "size", "uploaded_at"]
    list_select_related = ["meeting__cluster", "organisation"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["meeting", "person", "attendance", "answered_at", "needs_erased_at"]
    list_filter = ["attendance"]
    list_select_related = ["meeting__cluster", "person"]
    readonly_fields = ["token"]
