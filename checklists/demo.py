"""Demo self-assessments for ``seed_demo``: the example checklist, three rounds, a submitted
baseline for every organisation and a submitted follow-up for one, so the results pages
show movement from the start."""

import datetime
import zlib
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone

from programmes.enums import Role
from programmes.models import Assignment, Organisation

from .enums import AssessmentStatus
from .models import Answer, AssessmentRound, ChecklistVersion
from .services import import_checklist, start_assessment

CHECKLIST_FILE = Path(settings.BASE_DIR) / "fixtures" / "checklist.xlsx"
VERSION_NAME = "Checklista för jämställdhetsintegrering 2026"
FOLLOW_UP_DONE_BY = "Västerås stad"
# (name, days relative to the cluster's first meeting)
ROUNDS = [("Nulägesbedömning", -7), ("Uppföljning", 63), ("Slutbedömning", 133)]


def _level(organisation: Organisation, statement, bump: int = 0) -> int:
    """A stable, plausible level per organisation and statement."""
    seed = zlib.crc32(f"{organisation.name}/{statement.number}".encode())
    return min(3, (seed % 4 + seed % 3) // 2 + bump)


def seed(programme, first_meeting: datetime.date) -> None:
    if programme.assessment_rounds.exists():
        return
    version = ChecklistVersion.objects.filter(name=VERSION_NAME).first()
    if version is None:
        with CHECKLIST_FILE.open("rb") as handle:
            version = import_checklist(File(handle, name=CHECKLIST_FILE.name), name=VERSION_NAME)
    rounds = [
        AssessmentRound.objects.create(
            programme=programme,
            version=version,
            name=name,
            due_on=first_meeting + datetime.timedelta(days=days),
        )
        for name, days in ROUNDS
    ]
    organisations = Organisation.objects.filter(
        cluster_memberships__cluster__programme=programme
    ).distinct()
    for organisation in organisations:
        key_person = (
            Assignment.objects.active()
            .filter(programme=programme, organisation=organisation, role=Role.KEY_PERSON)
            .select_related("person")
            .first()
        )
        person = key_person.person if key_person else None
        _fill(start_assessment(rounds[0], organisation, user=person), organisation, person, 0)
        if organisation.name == FOLLOW_UP_DONE_BY:
            _fill(start_assessment(rounds[1], organisation, user=person), organisation, person, 1)


def _fill(assessment, organisation, person, bump):
    answers = list(Answer.objects.filter(assessment=assessment).select_related("statement"))
    for answer in answers:
        answer.level = _level(organisation, answer.statement, bump)
        answer.needs_improvement = answer.level <= 1
        answer.carried_over = False
        answer.updated_by = person
    Answer.objects.bulk_update(
        answers, ["level", "needs_improvement", "carried_over", "updated_by"]
    )
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = person
    assessment.save()
    return assessment
