"""Writing checklists, rounds and self-assessments. Each function is one user action."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import AssessmentStatus
from .importer import ChecklistFileError, ParsedChecklist, parse_checklist
from .models import (
    Answer,
    AssessmentRound,
    ChecklistVersion,
    ScaleLevel,
    Section,
    SelfAssessment,
    Statement,
    normalise_comment,
)


def default_version_name(file_name: str) -> str:
    return PurePath(file_name).stem.replace("_", " ").strip()[:200] or _("Checklist")


def _name_taken(name):
    return ValidationError(
        {"name": _("A checklist version named “%(name)s” already exists.") % {"name": name}}
    )


def create_version(parsed: ParsedChecklist, *, name: str, source_name: str, user=None):
    """Store a parsed checklist as a new version, all or nothing."""
    if len(name) > 200:
        raise ValidationError({"name": _("The name is longer than 200 characters.")})
    if ChecklistVersion.objects.filter(name=name).exists():
        raise _name_taken(name)
    try:
        return _create_version(parsed, name=name, source_name=source_name, user=user)
    except IntegrityError as error:  # the same name imported at the same moment
        raise _name_taken(name) from error


def _create_version(parsed: ParsedChecklist, *, name: str, source_name: str, user):
    with transaction.atomic():
        version = ChecklistVersion.objects.create(
            name=name, source_name=source_name[:255], imported_by=user
        )
        ScaleLevel.objects.bulk_create(
            ScaleLevel(version=version, value=value, label=label, label_en=label_en)
            for value, label, label_en in parsed.levels
        )
        sections = Section.objects.bulk_create(
            Section(version=version, position=index, title=s.title, title_en=s.title_en)
            for index, s in enumerate(parsed.sections, start=1)
        )
        position = 0
        statements = []
        for section, parsed_section in zip(sections, parsed.sections, strict=True):
            for parsed_statement in parsed_section.statements:
                position += 1
                statements.append(
                    Statement(
                        version_id=version.pk,
                        section_id=section.pk,
                        position=position,
                        number=parsed_statement.number,
                        text=parsed_statement.text,
                        text_en=parsed_statement.text_en,
                        guidance=parsed_statement.guidance,
                    )
                )
        Statement.objects.bulk_create(statements)
    return version


def import_checklist(uploaded, *, name: str = "", user=None) -> ChecklistVersion:
    """Import SKR's checklist workbook as a new version.

    Raises ValidationError with every problem found (sheet, row, column); nothing is
    saved unless the whole file is right.
    """
    try:
        parsed = parse_checklist(uploaded)
    except ChecklistFileError as error:
        raise ValidationError({"file": error.errors}) from error
    source_name = PurePath(getattr(uploaded, "name", "") or "").name
    return create_version(
        parsed,
        name=name.strip() or default_version_name(source_name),
        source_name=source_name,
        user=user,
    )


def delete_version(version: ChecklistVersion) -> None:
    if version.is_in_use:
        raise ValidationError(
            _("The version is used by a self-assessment round and cannot be deleted.")
        )
    version.delete()


def save_round(*, programme, instance: AssessmentRound | None = None, **fields):
    """Create or change a round. Its checklist version is fixed once an organisation started."""
    round_ = instance or AssessmentRound(programme=programme)
    # Compare with what is stored: a model form has already put the new value on the instance.
    stored_version = (
        AssessmentRound.objects.filter(pk=instance.pk).values_list("version_id", flat=True).first()
        if instance is not None
        else None
    )
    if (
        instance is not None
        and fields.get("version") is not None
        and fields["version"].pk != stored_version
        and instance.assessments.exists()
    ):
        raise ValidationError(
            {
                "version": _(
                    "Organisations have started this round; its checklist version "
                    "can no longer be changed."
                )
            }
        )
    for key, value in fields.items():
        setattr(round_, key, value)
    name_taken = ValidationError({"name": _("The programme already has a round with this name.")})
    if (
        AssessmentRound.objects.filter(programme=programme, name=round_.name)
        .exclude(pk=round_.pk)
        .exists()
    ):
        raise name_taken
    try:
        with transaction.atomic():
            round_.save()
    except IntegrityError as error:
        raise name_taken from error
    return round_


def previous_assessment(round_: AssessmentRound, organisation) -> SelfAssessment | None:
    """The organisation's submitted self-assessment in the latest earlier round of the
    programme: what it agreed on last time, the same figure the results compare with."""
    earlier = Q(round__due_on__lt=round_.due_on) | Q(
        round__due_on=round_.due_on, round__pk__lt=round_.pk
    )
    return (
        SelfAssessment.objects.filter(earlier, organisation=organisation)
        .filter(round__programme_id=round_.programme_id, status=AssessmentStatus.SUBMITTED)
        .select_related("round")
        .order_by("-round__due_on", "-round__pk")
        .first()
    )


def start_assessment(round_: AssessmentRound, organisation, *, user=None) -> SelfAssessment:
    """Start the organisation's self-assessment, pre-filled from its previous round.

    With the same checklist version answers carry over statement by statement; with a
    new version, by the statement's number and text. Carried answers are marked so the
    page can show what has not been looked at again.
    """
    existing = SelfAssessment.objects.filter(round=round_, organisation=organisation).first()
    if existing is not None:
        return existing
    previous = previous_assessment(round_, organisation)
    try:
        with transaction.atomic():
            assessment = SelfAssessment.objects.create(
                round=round_, organisation=organisation, prefilled_from=previous
            )
    except IntegrityError:  # a colleague started it at the same moment
        return SelfAssessment.objects.get(round=round_, organisation=organisation)
    same_version = previous is None or previous.round.version_id == round_.version_id
    carried = {}
    if previous is not None:
        for old in Answer.objects.filter(assessment=previous).select_related("statement"):
            carried[old.statement_id if same_version else old.statement.match_key] = old
    scale = set(
        ScaleLevel.objects.filter(version_id=round_.version_id).values_list("value", flat=True)
    )
    Answer.objects.bulk_create(
        _new_answer(assessment, statement, carried, same_version, scale, user)
        for statement in Statement.objects.filter(version_id=round_.version_id)
    )
    return assessment


def _new_answer(assessment, statement, carried, same_version, scale, user):
    old = carried.get(statement.pk if same_version else statement.match_key)
    if old is None or (old.level is None and not old.comment and not old.needs_improvement):
        return Answer(assessment=assessment, statement=statement, updated_by=user)
    return Answer(
        assessment=assessment,
        statement=statement,
        # A level only carries over if the new version's scale has it.
        level=old.level if old.level in scale else None,
        comment=old.comment,
        needs_improvement=old.needs_improvement,
        carried_over=True,
        updated_by=user,
    )


def _ensure_draft(assessment: SelfAssessment) -> None:
    if assessment.is_submitted:
        raise ValidationError(
            _("The self-assessment has been submitted. Its key person can reopen it.")
        )


def save_answer(assessment, statement, *, level, comment, needs_improvement, user) -> Answer:
    """Save one statement's answer as it is edited."""
    locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    _ensure_draft(locked)
    answer, _created = Answer.objects.get_or_create(assessment=assessment, statement=statement)
    answer.level = level
    answer.comment = comment
    answer.needs_improvement = needs_improvement
    answer.carried_over = False
    answer.updated_by = user
    answer.save()
    SelfAssessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())
    return answer


def submit_assessment(
    assessment: SelfAssessment, *, user, confirm_carried: bool = False
) -> SelfAssessment:
    """The key person submits: every statement needs a level, and answers carried over from
    the previous round must have been looked at or confirmed as still holding."""
    locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    _ensure_draft(locked)
    scale = ScaleLevel.objects.filter(version_id=locked.round.version_id).values("value")
    missing = locked.answers.filter(level__isnull=True).count()
    missing += locked.answers.filter(level__isnull=False).exclude(level__in=scale).count()
    missing += (
        Statement.objects.filter(version_id=locked.round.version_id)
        .exclude(answers__assessment=locked)
        .count()
    )
    if missing:
        raise ValidationError(
            _(
                "%(count)s statements have no level yet. Answer every statement before "
                "submitting; what you have filled in is saved."
            )
            % {"count": missing}
        )
    carried = locked.answers.filter(carried_over=True)
    if carried.exists() and not confirm_carried:
        raise ValidationError(
            _(
                "%(count)s answers are carried over from the previous round and nobody has "
                "looked at them in this round. Check them, or confirm that they still hold, "
                "and submit again."
            )
            % {"count": carried.count()}
        )
    carried.update(carried_over=False, updated_by=user, updated_at=timezone.now())
    locked.status = AssessmentStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = user
    locked.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    return locked


def reopen_assessment(assessment: SelfAssessment, *, user) -> SelfAssessment:
    locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    locked.status = AssessmentStatus.DRAFT
    locked.submitted_at = None
    locked.submitted_by = None
    locked.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    return locked


def apply_workbook_answers(assessment: SelfAssessment, workbook, *, user) -> int:
    """Apply what was changed in an offline workbook; returns how many answers changed.

    Rows the file leaves as they were downloaded are skipped, so a colleague's answer given
    on the page meanwhile is not overwritten. Where the file and the page both changed the
    same answer, nothing is saved and the statements are named.
    """
    locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    _ensure_draft(locked)
    answers = {a.statement_id: a for a in Answer.objects.filter(assessment=locked)}
    changed, created, conflicts = [], [], []
    for row in workbook.rows:
        before = workbook.downloaded.get(row.statement_id)
        if before is not None and row.values == before:
            continue
        answer = answers.get(row.statement_id)
        if answer is None:
            created.append(
                Answer(
                    assessment=locked,
                    statement_id=row.statement_id,
                    level=row.level,
                    comment=row.comment,
                    needs_improvement=row.needs_improvement,
                    updated_by=user,
                )
            )
            continue
        now = (answer.level, answer.needs_improvement, normalise_comment(answer.comment))
        if before is not None and now != before:
            if now != row.values:
                conflicts.append(row)
            continue
        if now == row.values:
            continue
        answer.level = row.level
        answer.comment = row.comment
        answer.needs_improvement = row.needs_improvement
        answer.carried_over = False
        answer.updated_by = user
        answer.updated_at = timezone.now()
        changed.append(answer)
    if conflicts:
        raise ValidationError(
            [
                _(
                    "Statement %(number)s (row %(row)s) was changed on the page after the "
                    "workbook was downloaded."
                )
                % {"number": row.number, "row": row.row}
                for row in conflicts[:20]
            ]
            + [
                _(
                    "Nothing from the file was saved. Download the workbook again, or make "
                    "these changes on the page."
                )
            ]
        )
    Answer.objects.bulk_update(
        changed,
        ["level", "comment", "needs_improvement", "carried_over", "updated_by", "updated_at"],
        batch_size=500,
    )
    Answer.objects.bulk_create(created)
    SelfAssessment.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    return len(changed) + len(created)
