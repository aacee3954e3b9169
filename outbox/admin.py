from django.contrib import admin

from .models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "purpose", "to_email", "subject", "state", "attempts"]
    list_filter = ["state", "purpose"]
    search_fields = ["to_email", "subject"]
    readonly_fields = ["created_at", "updated_at", "sent_at"]
