import datetime
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from checklists import services
from checklists.models import AssessmentRound

EXAMPLE = Path(settings.BASE_DIR) / "fixtures" / "checklist.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADER = ["Område", "Nr", "Påstående", "Område (en)", "Statement (en)", "Vägledning"]
SCALE = [
    ["Värde", "Nivå", "Nivå (en)"],
    [0, "Inte påbörjat", "Not started"],
    [1, "Påbörjat", ""],
    [2, "Delvis genomfört", ""],
    [3, "Genomfört", "In place"],
]


def xlsx_upload(content: bytes, name="checklista.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def build_workbook(rows, *, scale=SCALE, checklist_title="Checklista", header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = checklist_title
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    if scale is not None:
        scale_sheet = workbook.create_sheet("Skala")
        for row in scale:
            scale_sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def example_upload() -> SimpleUploadedFile:
    return xlsx_upload(EXAMPLE.read_bytes(), "checklist.xlsx")


@pytest.fixture
def version(db):
    return services.import_checklist(example_upload(), name="Checklista 2026")


@pytest.fixture
def rounds(world, version):
    baseline = AssessmentRound.objects.create(
        programme=world.programme,
        version=version,
        name="Nulägesbedömning",
        due_on=datetime.date(2026, 9, 15),
    )
    follow_up = AssessmentRound.objects.create(
        programme=world.programme,
        version=version,
        name="Uppföljning",
        due_on=datetime.date(2027, 1, 15),
    )
    return baseline, follow_up


def fill(assessment, level_of, *, user=None):
    """Answer every statement with level_of(statement) and return the assessment."""
    for answer in assessment.answers.select_related("statement"):
        services.save_answer(
            assessment,
            answer.statement,
            level=level_of(answer.statement),
            comment="",
            needs_improvement=False,
            user=user,
        )
    return assessment


def submitted(assessment, level_of, *, user=None):
    """Answer every statement with level_of(statement), submit, and return the assessment."""
    fill(assessment, level_of, user=user)
    return services.submit_assessment(assessment, user=user, confirm_carried=True)
