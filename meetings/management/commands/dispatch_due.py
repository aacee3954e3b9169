"""Queue every meeting invitation and update that is due, now (the periodic job, once)."""

from django.core.management.base import BaseCommand

from meetings.mailings import dispatch_due


class Command(BaseCommand):
    help = "Queue the meeting invitations and updates that are due, as the periodic job does."

    def handle(self, *args, **options):
        created = dispatch_due()
        self.stdout.write(self.style.SUCCESS(f"{created} mail(s) queued."))
