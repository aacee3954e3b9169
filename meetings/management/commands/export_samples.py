"""Write one file of every document kind the product generates, from the demo data."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import translation

from checklists import selectors as checklist_selectors
from checklists.documents.workbooks import (
    assessment_workbook,
    cluster_results_workbook,
    organisation_results_workbook,
)
from checklists.models import SelfAssessment
from meetings.documents.agenda import agenda_docx, agenda_pdf
from meetings.documents.feedback import feedback_data, feedback_docx
from meetings.documents.presentation import presentation_data, presentation_pptx
from meetings.enums import MeetingKind
from meetings.models import Meeting


class Command(BaseCommand):
    help = (
        "Write sample documents (the agenda of every meeting type as PDF and Word, the "
        "presentation and feedback templates, self-assessment workbooks and result exports) "
        "for the demo data to DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--language", default="sv", choices=["sv", "en"])

    def handle(self, *args, directory, language, **options):
        meetings = [self._sample(kind) for kind in MeetingKind]
        if None in meetings:
            raise CommandError("No planned meeting: run `manage.py seed_demo` first.")
        meeting = max(meetings, key=lambda m: m.items)  # the fullest for the templates
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        with translation.override(language):
            organisation = meeting.host or meeting.cluster.memberships.first().organisation
            documents = [
                *(document for m in meetings for document in (agenda_pdf(m), agenda_docx(m))),
                presentation_pptx(presentation_data(meeting, organisation)),
                feedback_docx(feedback_data(meeting)),
                *self._self_assessments(),
            ]
            for filename, _content_type, content in documents:
                (target / filename).write_bytes(content)
                self.stdout.write(f"{target / filename} ({len(content):,} bytes)")

    def _sample(self, kind: str) -> Meeting | None:
        """The planned meeting of this kind with the most agenda items (the largest cluster)."""
        return (
            Meeting.objects.filter(kind=kind, starts_at__isnull=False)
            .annotate(items=Count("agenda_items"))
            .order_by("-items", "starts_at")
            .first()
        )

    def _self_assessments(self):
        """The offline workbook, and the results of the organisation with most rounds."""
        latest = (
            SelfAssessment.objects.filter(status="submitted")
            .select_related("round__programme", "round__version", "organisation")
            .order_by("-round__due_on")
            .first()
        )
        if latest is None:
            return []
        programme, organisation = latest.round.programme, latest.organisation
        cluster = organisation.clusters.filter(programme=programme).first()
        results = checklist_selectors.organisation_results(programme, organisation)
        return [
            assessment_workbook(latest, checklist_selectors.assessment_page(latest)),
            organisation_results_workbook(results, checklist_selectors.answers_by_round(results)),
            cluster_results_workbook(cluster, checklist_selectors.cluster_export(cluster)),
        ]
