from django.contrib import admin

from .models import Meeting


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["cluster", "kind", "starts_at", "host", "venue"]
    list_filter = ["kind", "cluster__programme"]
    list_select_related = ["cluster", "host"]
    search_fields = ["cluster__name", "venue"]
