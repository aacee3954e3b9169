"""Self-assessments in two rounds, and the improvement actions that follow from them."""

import datetime

from django.core.files import File

from checklists.demo import CHECKLIST_FILE, VERSION_NAME
from checklists.enums import AssessmentStatus
from checklists.models import (
    Answer,
    AssessmentRound,
    ChecklistVersion,
    ScaleLevel,
    SelfAssessment,
    Statement,
)
from checklists.services import import_checklist
from plans.enums import ActionArea, ActionStatus
from plans.models import FollowUp, ImprovementAction
from programmes.enums import ORGANISATION_ROLES

from .base import Run, at
from .content import (
    ACTION_STATUS_WEIGHTS,
    ACTION_STATUSES,
    ASSESSMENT_COMMENTS,
    BATCH_SIZE,
    FOLLOW_UP_NOTES,
    OTHER_ACTIONS,
    PEOPLE,
    ROUNDS,
)

SUBMITTED_AT = datetime.time(15)


def checklist_version() -> ChecklistVersion:
    """The demo's checklist version, imported from ``fixtures/checklist.xlsx`` if missing."""
    version = ChecklistVersion.objects.filter(name=VERSION_NAME).first()
    if version is None:
        with CHECKLIST_FILE.open("rb") as handle:
            version = import_checklist(File(handle, name=CHECKLIST_FILE.name), name=VERSION_NAME)
    return version


def _answer(run: Run, assessment, statement, index: int | None, levels, person):
    """``index`` is the position of the level on the scale (None: not answered yet)."""
    return Answer(
        assessment=assessment,
        statement=statement,
        level=None if index is None else levels[index],
        needs_improvement=index is not None and index <= 1 and run.rng.random() < 0.8,
        comment=run.rng.choice(ASSESSMENT_COMMENTS) if run.rng.random() < 0.08 else "",
        updated_by=person,
    )


def create_self_assessments(run: Run, version: ChecklistVersion) -> dict:
    """A baseline round, submitted by most organisations (a few still in progress, a few not
    started), and a follow-up round under way, pre-filled from the baseline as the product
    does. Returns, per organisation id with a submitted baseline, the assessment and the
    statements it marked as needing improvement."""
    rng = run.rng
    levels = sorted(ScaleLevel.objects.filter(version=version).values_list("value", flat=True))
    top = len(levels) - 1
    statements = list(Statement.objects.filter(version=version).order_by("position"))
    baseline_round, follow_up_round = AssessmentRound.objects.bulk_create(
        [
            AssessmentRound(
                programme=run.programme,
                version=version,
                name=ROUNDS[0],
                due_on=run.programme.starts_on + datetime.timedelta(days=21),
            ),
            AssessmentRound(
                programme=run.programme,
                version=version,
                name=ROUNDS[1],
                due_on=run.today + datetime.timedelta(days=45),
            ),
        ]
    )
    baselines, follow_ups, answers, submitted = [], [], [], {}
    # The printed key person's organisation (the first mentor) always shows both rounds.
    showcase = run.organisations[0][0]
    for organisation in run.all_organisations():
        if rng.random() < 0.08 and organisation is not showcase:
            continue  # not started
        person = run.key_person(organisation)
        maturity = rng.uniform(0, top * 0.7)
        indexes = [max(0, min(top, round(maturity + rng.uniform(-1.2, 1.2)))) for _ in statements]
        baseline = SelfAssessment(round=baseline_round, organisation=organisation)
        if rng.random() < 0.88 or organisation is showcase:
            baseline.status = AssessmentStatus.SUBMITTED
            day = baseline_round.due_on - datetime.timedelta(days=rng.randint(0, 14))
            baseline.submitted_at = at(day, SUBMITTED_AT)
            baseline.submitted_by = person
        baselines.append(baseline)
        made = [
            _answer(
                run,
                baseline,
                statement,
                index if baseline.is_submitted or rng.random() < 0.7 else None,
                levels,
                person,
            )
            for statement, index in zip(statements, indexes, strict=True)
        ]
        answers += made
        if not baseline.is_submitted:
            continue
        submitted[organisation.pk] = (baseline, [a.statement for a in made if a.needs_improvement])
        if rng.random() >= 0.4 and organisation is not showcase:
            continue
        follow_up = SelfAssessment(
            round=follow_up_round, organisation=organisation, prefilled_from=baseline
        )
        if rng.random() < 0.25:
            follow_up.status = AssessmentStatus.SUBMITTED
            day = run.today - datetime.timedelta(days=rng.randint(1, 20))
            follow_up.submitted_at = at(day, SUBMITTED_AT)
            follow_up.submitted_by = person
        follow_ups.append(follow_up)
        for statement, index, old in zip(statements, indexes, made, strict=True):
            if follow_up.is_submitted or rng.random() < 0.6:
                moved = min(top, index + rng.choice([0, 0, 1, 1, 2]))
                answers.append(_answer(run, follow_up, statement, moved, levels, person))
            else:  # carried over from the baseline, not looked at again yet
                answers.append(
                    Answer(
                        assessment=follow_up,
                        statement=statement,
                        level=old.level,
                        comment=old.comment,
                        needs_improvement=old.needs_improvement,
                        carried_over=True,
                        updated_by=person,
                    )
                )
    SelfAssessment.objects.bulk_create(baselines, batch_size=BATCH_SIZE)
    SelfAssessment.objects.bulk_create(follow_ups, batch_size=BATCH_SIZE)
    Answer.objects.bulk_create(answers, batch_size=BATCH_SIZE)
    run.counts.update(
        self_assessments=len(baselines) + len(follow_ups),
        self_assessments_submitted=sum(a.is_submitted for a in baselines + follow_ups),
        answers=len(answers),
    )
    return submitted


def create_actions(run: Run, submitted: dict) -> None:
    """One to three actions from each submitted baseline's flagged statements, sometimes one
    more of the organisation's own, in mixed states; those under way or done have a
    follow-up at the cluster's latest evaluated meeting."""
    rng = run.rng
    first_with_role = {}
    for index, (role, _substitute) in enumerate(PEOPLE):
        first_with_role.setdefault(role, index)
    actions, follow_ups = [], []
    for cluster, group in zip(run.clusters, run.organisations, strict=True):
        evaluated = [m for m in run.meetings[cluster.pk] if run.state[m.pk] == "E"]
        for organisation in group:
            if organisation.pk not in submitted:
                continue
            baseline, flagged = submitted[organisation.pk]
            chosen = rng.sample(flagged, min(len(flagged), rng.randint(1, 3)))
            items = [(ActionArea.CHECKLIST, s, s.text[:300]) for s in chosen]
            if rng.random() < 0.5:
                items.append((ActionArea.OTHER, None, rng.choice(OTHER_ACTIONS)))
            key_person = run.key_person(organisation)
            for area, statement, title in items:
                role = rng.choice(ORGANISATION_ROLES)
                starts_on = baseline.submitted_at.date() + datetime.timedelta(
                    days=rng.randint(7, 45)
                )
                action = ImprovementAction(
                    programme=run.programme,
                    organisation=organisation,
                    title=title,
                    description=f"Från {baseline.round.name.lower()}." if statement else "",
                    area=area,
                    statement=statement,
                    responsible_role=role,
                    responsible_person=run.people[organisation.pk][first_with_role[role]],
                    starts_on=starts_on,
                    due_on=starts_on + datetime.timedelta(days=rng.randint(60, 240)),
                    status=rng.choices(ACTION_STATUSES, weights=ACTION_STATUS_WEIGHTS)[0],
                    created_by=key_person,
                )
                actions.append(action)
                if evaluated and action.status in (ActionStatus.IN_PROGRESS, ActionStatus.DONE):
                    follow_ups.append(
                        FollowUp(
                            action=action,
                            meeting=evaluated[-1],
                            note=rng.choice(FOLLOW_UP_NOTES),
                            status=action.status,
                            created_by=key_person,
                        )
                    )
    ImprovementAction.objects.bulk_create(actions, batch_size=BATCH_SIZE)
    FollowUp.objects.bulk_create(follow_ups, batch_size=BATCH_SIZE)
    run.counts.update(improvement_actions=len(actions), follow_ups=len(follow_ups))
