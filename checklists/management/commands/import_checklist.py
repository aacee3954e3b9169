"""Import SKR's checklist workbook as a new version (the same as the upload page)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from checklists.services import import_checklist


class Command(BaseCommand):
    help = "Import a checklist for gender mainstreaming from an Excel workbook (.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the .xlsx file")
        parser.add_argument("--name", default="", help="Name of the version (default: file name)")

    def handle(self, *args, file, name, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with path.open("rb") as handle:
            try:
                version = import_checklist(File(handle, name=path.name), name=name)
            except ValidationError as error:
                messages = [m for ms in error.message_dict.values() for m in ms]
                raise CommandError(
                    "Nothing was imported:\n" + "\n".join(f"  - {m}" for m in messages)
                ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported “{version.name}”: {version.sections.count()} areas, "
                f"{version.statements.count()} statements, {version.levels.count()} levels."
            )
        )
