"""Write one file of every document kind the product generates, from the demo data."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import translation

from meetings.documents.agenda import agenda_docx, agenda_pdf
from meetings.models import Meeting


class Command(BaseCommand):
    help = "Write sample documents (agenda PDF and Word, ...) for the demo data to DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--language", default="sv", choices=["sv", "en"])

    def handle(self, *args, directory, language, **options):
        meeting = (
            Meeting.objects.filter(starts_at__isnull=False)
            .annotate(items=Count("agenda_items"))
            .order_by("-items", "starts_at")
            .first()
        )
        if meeting is None:
            raise CommandError("No planned meeting: run `manage.py seed_demo` first.")
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        with translation.override(language):
            for generate in (agenda_pdf, agenda_docx):
                filename, _content_type, content = generate(meeting)
                (target / filename).write_bytes(content)
                self.stdout.write(f"{target / filename} ({len(content):,} bytes)")
