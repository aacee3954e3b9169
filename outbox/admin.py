from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "purpose", "to_email", "subject", "state", "attempts"]
    list_filter = ["state", "purpose"]
    search_fields = ["to_email", "subject", "message_id"]
    readonly_fields = [
        "created_at",
        "updated_at",
        "sent_at",
        "message_id",
        "leased_until",
        "retry_after",
        "failing_since",
        "interruptions",
    ]
    actions = ["resend_failed"]

    @admin.action(description=_("Send the selected failed mails again"), permissions=["change"])
    def resend_failed(self, request, queryset):
        with transaction.atomic():
            resent = services.resend_mails(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d failed mail was queued again.",
                "%(count)d failed mails were queued again.",
                resent,
            )
            % {"count": resent},
            messages.SUCCESS,
        )
