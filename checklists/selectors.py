"""Reading checklists, self-assessments and their results, scoped to what a user may see.

Scores are computed from one grouped query per page (level counts per assessment and area),
so result pages cost the same number of queries for 2 organisations as for 200.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from benchmarking.numbers import half_up, percent
from programmes.models import Cluster, ClusterMembership, Organisation, Programme
from programmes.selectors import (
    memberships_of,
    shares_cluster,
    visible_clusters,
    visible_programmes,
)

from .enums import AssessmentStatus
from .models import (
    Answer,
    AssessmentRound,
    ChecklistVersion,
    ScaleLevel,
    Section,
    SelfAssessment,
    Statement,
)
from .permissions import can_manage_checklists, can_manage_rounds

# --- access -------------------------------------------------------------------------------


def visible_assessments(user):
    return SelfAssessment.objects.filter(shares_cluster(user, programme="round__programme"))


def get_assessment_for_user(user, pk: int) -> SelfAssessment:
    return get_object_or_404(
        visible_assessments(user).select_related(
            "round__programme", "round__version", "organisation", "submitted_by"
        ),
        pk=pk,
    )


def get_round_for_user(user, pk: int) -> AssessmentRound:
    return get_object_or_404(
        AssessmentRound.objects.select_related("programme", "version").filter(
            programme__in=visible_programmes(user)
        ),
        pk=pk,
    )


def get_round_for_manager(user, pk: int) -> AssessmentRound:
    round_ = get_round_for_user(user, pk)
    if not can_manage_rounds(user, round_.programme):
        raise PermissionDenied
    return round_


def get_version_for_manager(user, pk: int) -> ChecklistVersion:
    if not can_manage_checklists(user):
        raise PermissionDenied
    return get_object_or_404(ChecklistVersion, pk=pk)


def get_programme_organisation_for_user(user, programme_pk: int, organisation_pk: int):
    """The programme and one of its organisations, if the user shares a cluster with it."""
    cluster = (
        visible_clusters(user)
        .filter(programme_id=programme_pk, memberships__organisation_id=organisation_pk)
        .select_related("programme")
        .first()
    )
    if cluster is None:
        raise Http404
    return cluster.programme, get_object_or_404(Organisation, pk=organisation_pk), cluster


def checklist_versions():
    return ChecklistVersion.objects.select_related("imported_by").annotate(
        statement_count=Count("statements", distinct=True),
        round_count=Count("rounds", distinct=True),
    )


def programme_rounds(programme: Programme) -> list[AssessmentRound]:
    return list(
        AssessmentRound.objects.filter(programme=programme)
        .select_related("version")
        .order_by("due_on", "pk")
    )


# --- scores -------------------------------------------------------------------------------


@dataclass
class Score:
    """Mean level of the answered statements, and the share of them at the scale's top."""

    answered: int = 0
    total: int = 0
    level_sum: int = 0
    at_top: int = 0

    @property
    def mean(self) -> float | None:
        """To one decimal, rounded half up: the figure people see, compare and export."""
        if not self.answered:
            return None
        return half_up(Decimal(self.level_sum) / Decimal(self.answered))

    @property
    def top_share(self) -> int | None:
        return percent(self.at_top, self.answered)

    def add(self, level, count, top):
        self.total += count
        if level is not None:
            self.answered += count
            self.level_sum += level * count
            if level == top:
                self.at_top += count


@dataclass
class AssessmentScores:
    overall: Score = field(default_factory=Score)
    # keyed by the area's Swedish title, so rounds on different versions compare by area
    sections: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))


def scores_for(assessments, *, sections: bool = True) -> dict[int, AssessmentScores]:
    """Scores of the given self-assessments, in two queries whatever their number.

    Without ``sections`` only the overall scores are counted, which spares the query its
    joins to the areas: what pages with many self-assessments need.
    """
    ids = [a.pk for a in assessments]
    if not ids:
        return {}
    version_ids = {a.round.version_id for a in assessments}
    top_by_version: dict[int, int] = {}
    for version_id, value in ScaleLevel.objects.filter(version_id__in=version_ids).values_list(
        "version_id", "value"
    ):
        top_by_version[version_id] = max(value, top_by_version.get(version_id, value))
    version_of = {a.pk: a.round.version_id for a in assessments}
    result = {pk: AssessmentScores() for pk in ids}
    if not sections:
        for assessment_id, level, count in (
            Answer.objects.filter(assessment_id__in=ids)
            .values_list("assessment_id", "level")
            .annotate(count=Count("id"))
            .order_by()
        ):
            result[assessment_id].overall.add(
                level, count, top_by_version.get(version_of[assessment_id])
            )
        return result
    rows = (
        Answer.objects.filter(assessment_id__in=ids)
        .values_list("assessment_id", "statement__section__title", "level")
        .annotate(count=Count("id"))
        .order_by()
    )
    for assessment_id, title, level, count in rows:
        top = top_by_version.get(version_of[assessment_id])
        scores = result[assessment_id]
        scores.overall.add(level, count, top)
        scores.sections[title].add(level, count, top)
    return result


@dataclass
class Scale:
    low: int
    high: int


def version_scale(version_ids) -> Scale:
    values = list(
        ScaleLevel.objects.filter(version_id__in=version_ids).values_list("value", flat=True)
    )
    return Scale(min(values, default=0), max(values, default=1))


@dataclass
class Area:
    title: str  # the key (Swedish)
    label: str  # in the user's language


def areas_of(version_ids) -> list[Area]:
    """Areas of the versions in checklist order, once each by title."""
    seen: dict[str, Area] = {}
    for section in Section.objects.filter(version_id__in=version_ids).order_by(
        "version_id", "position"
    ):
        if section.title not in seen:
            seen[section.title] = Area(section.title, section.localized("title"))
    return list(seen.values())


def movement(current: Score | None, previous: Score | None) -> float | None:
    if current is None or previous is None or current.mean is None or previous.mean is None:
        return None
    return round(current.mean - previous.mean, 1)


# --- an organisation's rounds ---------------------------------------------------------------


@dataclass
class RoundResult:
    round: AssessmentRound
    assessment: SelfAssessment | None
    scores: AssessmentScores | None

    @property
    def counts(self) -> bool:
        """Submitted self-assessments are the organisation's results."""
        return self.assessment is not None and self.assessment.is_submitted


@dataclass
class AreaRow:
    area: Area
    scores: list[Score | None]
    movement: float | None


@dataclass
class OrganisationResults:
    programme: Programme
    organisation: Organisation
    rounds: list[RoundResult]
    areas: list[AreaRow]
    overall: list[Score | None]
    overall_movement: float | None
    scale: Scale


def _last_two(values):
    present = [v for v in values if v is not None]
    return movement(present[-1], present[-2]) if len(present) >= 2 else None


def organisation_results(programme, organisation) -> OrganisationResults:
    rounds = programme_rounds(programme)
    assessments = {
        a.round_id: a
        for a in SelfAssessment.objects.filter(
            round__programme=programme, organisation=organisation
        ).select_related("round", "submitted_by")
    }
    scores = scores_for(list(assessments.values()))
    results = [
        RoundResult(r, assessments.get(r.pk), scores.get(getattr(assessments.get(r.pk), "pk", 0)))
        for r in rounds
    ]
    version_ids = {r.version_id for r in rounds}
    counted = [r.scores if r.counts else None for r in results]
    areas = [
        AreaRow(
            area,
            row := [s.sections.get(area.title) if s else None for s in counted],
            _last_two(row),
        )
        for area in areas_of(version_ids)
    ]
    overall = [s.overall if s else None for s in counted]
    return OrganisationResults(
        programme=programme,
        organisation=organisation,
        rounds=results,
        areas=areas,
        overall=overall,
        overall_movement=_last_two(overall),
        scale=version_scale(version_ids),
    )


# --- a cluster side by side -----------------------------------------------------------------


@dataclass
class OrganisationColumn:
    organisation: Organisation
    is_mentor: bool
    assessment: SelfAssessment | None
    scores: AssessmentScores | None
    previous: AssessmentScores | None

    @property
    def counts(self) -> bool:
        return self.assessment is not None and self.assessment.is_submitted


@dataclass
class ClusterResults:
    cluster: Cluster
    rounds: list[AssessmentRound]
    round: AssessmentRound | None
    columns: list[OrganisationColumn]
    areas: list[AreaRow]  # one score per organisation; movement unused
    overall: list[Score | None]
    # per organisation: (round, self-assessment, overall score) per round, and the
    # movement between the last two submitted rounds
    overall_by_round: list[tuple[OrganisationColumn, list[tuple], float | None]]
    scale: Scale

    @property
    def has_submitted(self) -> bool:
        return any(score for _c, row, _m in self.overall_by_round for *_x, score in row)


def cluster_results(cluster: Cluster, round_pk: int | None = None) -> ClusterResults:
    rounds = programme_rounds(cluster.programme)
    memberships = memberships_of(cluster)
    organisation_ids = [m.organisation_id for m in memberships]
    assessments = list(
        SelfAssessment.objects.filter(
            round__programme_id=cluster.programme_id, organisation_id__in=organisation_ids
        ).select_related("round", "submitted_by")
    )
    by_key = {(a.round_id, a.organisation_id): a for a in assessments}
    scores = scores_for(assessments)
    chosen = next((r for r in rounds if r.pk == round_pk), None)
    if chosen is None:
        submitted = [
            r for r in rounds if any(a.round_id == r.pk and a.is_submitted for a in assessments)
        ]
        chosen = submitted[-1] if submitted else (rounds[0] if rounds else None)
    columns = []
    overall_by_round = []
    for membership in memberships:
        org_id = membership.organisation_id
        assessment = by_key.get((getattr(chosen, "pk", None), org_id))
        column = OrganisationColumn(
            organisation=membership.organisation,
            is_mentor=membership.is_mentor,
            assessment=assessment,
            scores=scores.get(assessment.pk) if assessment else None,
            previous=None,
        )
        columns.append(column)
        row = []
        for r in rounds:
            a = by_key.get((r.pk, org_id))
            score = scores[a.pk].overall if a is not None and a.is_submitted else None
            row.append((r, a, score))
        overall_by_round.append((column, row, _last_two([score for *_x, score in row])))
    counted = [c.scores if c.counts else None for c in columns]
    version_ids = {chosen.version_id} if chosen else set()
    areas = [
        AreaRow(area, [s.sections.get(area.title) if s else None for s in counted], None)
        for area in areas_of(version_ids)
    ]
    return ClusterResults(
        cluster=cluster,
        rounds=rounds,
        round=chosen,
        columns=columns,
        areas=areas,
        overall=[s.overall if s else None for s in counted],
        overall_by_round=overall_by_round,
        scale=version_scale({r.version_id for r in rounds}),
    )


def cluster_export(cluster: Cluster) -> list[tuple]:
    """Per round with submitted self-assessments: (round, ClusterResults, {organisation id:
    {statement id: level}}, {area title: [statements]}), for the cluster's Excel export."""
    per_round = []
    for round_ in programme_rounds(cluster.programme):
        results = cluster_results(cluster, round_.pk)
        submitted = [c.assessment for c in results.columns if c.counts]
        if not submitted:
            continue
        levels: dict[int, dict[int, int | None]] = {}
        for organisation_id, statement_id, level in Answer.objects.filter(
            assessment__in=submitted
        ).values_list("assessment__organisation_id", "statement_id", "level"):
            levels.setdefault(organisation_id, {})[statement_id] = level
        statements: dict[str, list[Statement]] = {}
        for statement in (
            Statement.objects.filter(version_id=round_.version_id)
            .select_related("section")
            .order_by("position")
        ):
            statements.setdefault(statement.section.title, []).append(statement)
        per_round.append((round_, results, levels, statements))
    return per_round


def answers_by_round(results: "OrganisationResults") -> dict[int, list[Answer]]:
    """The submitted answers of an organisation per round, for its Excel export."""
    by_round: dict[int, list[Answer]] = {}
    submitted = [r.assessment for r in results.rounds if r.counts]
    for answer in (
        Answer.objects.filter(assessment__in=submitted)
        .select_related("assessment", "statement__section")
        .order_by("statement__position")
    ):
        by_round.setdefault(answer.assessment.round_id, []).append(answer)
    return by_round


# --- the whole programme, for SKR -------------------------------------------------------------


@dataclass
class ProgrammeClusterRow:
    cluster: Cluster
    organisations: list[
        tuple[Organisation, bool, list[tuple[SelfAssessment | None, Score | None]], float | None]
    ]


def programme_results(programme: Programme):
    """Every cluster with each organisation's status and overall score per round."""
    rounds = programme_rounds(programme)
    clusters = list(
        Cluster.objects.filter(programme=programme)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=ClusterMembership.objects.select_related("organisation").order_by(
                    "-is_mentor", "organisation__name"
                ),
            )
        )
        .order_by("name")
    )
    round_by_pk = {r.pk: r for r in rounds}
    assessments = list(
        SelfAssessment.objects.filter(round__programme=programme)
        .only("round", "organisation", "status")
        .order_by()
    )
    for assessment in assessments:
        assessment.round = round_by_pk[assessment.round_id]
    by_key = {(a.round_id, a.organisation_id): a for a in assessments}
    # only submitted self-assessments show a score
    scores = scores_for([a for a in assessments if a.is_submitted], sections=False)
    rows = []
    for cluster in clusters:
        organisations = []
        for membership in cluster.memberships.all():
            cells = []
            for r in rounds:
                a = by_key.get((r.pk, membership.organisation_id))
                score = scores[a.pk].overall if a is not None and a.is_submitted else None
                cells.append((a, score))
            organisations.append(
                (
                    membership.organisation,
                    membership.is_mentor,
                    cells,
                    _last_two([score for _a, score in cells]),
                )
            )
        rows.append(ProgrammeClusterRow(cluster, organisations))
    submitted = sum(1 for a in assessments if a.status == AssessmentStatus.SUBMITTED)
    return rounds, rows, submitted


# --- one self-assessment ----------------------------------------------------------------------


@dataclass
class StatementRow:
    statement: object
    answer: Answer | None
    previous: Answer | None
    level_label: str = ""
    previous_label: str = ""


@dataclass
class SectionBlock:
    section: Section
    rows: list[StatementRow]
    score: Score | None


@dataclass
class Progress:
    answered: int  # statements with a level, carried over or not
    carried: int  # of those, carried over from the previous round and not looked at
    total: int

    @property
    def reviewed(self) -> int:
        """Answered in this round: what the progress bar shows."""
        return self.answered - self.carried

    @property
    def missing(self) -> int:
        return self.total - self.answered


@dataclass
class AssessmentPage:
    blocks: list[SectionBlock]
    levels: list[ScaleLevel]
    progress: Progress
    previous: SelfAssessment | None


def assessment_page(assessment: SelfAssessment) -> AssessmentPage:
    """Statements by area with this round's answer and the previous round's level."""
    version_id = assessment.round.version_id
    sections = list(
        Section.objects.filter(version_id=version_id)
        .prefetch_related("statements")
        .order_by("position")
    )
    answers = {a.statement_id: a for a in Answer.objects.filter(assessment=assessment)}
    previous = assessment.prefilled_from
    previous_answers = {}
    if previous is not None:
        old = Answer.objects.filter(assessment=previous).select_related("statement")
        if previous.round.version_id == version_id:
            previous_answers = {a.statement_id: a for a in old}
        else:
            by_key = {a.statement.match_key: a for a in old}
            for section in sections:
                for statement in section.statements.all():
                    match = by_key.get(statement.match_key)
                    if match is not None:
                        previous_answers[statement.pk] = match
    scores = scores_for([assessment]).get(assessment.pk)
    levels = list(ScaleLevel.objects.filter(version_id=version_id))
    labels = {level.value: str(level) for level in levels}
    blocks = []
    total = answered = carried = 0
    for section in sections:
        rows = []
        for statement in section.statements.all():
            answer = answers.get(statement.pk)
            total += 1
            if answer is not None and answer.level is not None:
                answered += 1
                carried += answer.carried_over
            before = previous_answers.get(statement.pk)
            rows.append(
                StatementRow(
                    statement,
                    answer,
                    before,
                    level_label=labels.get(getattr(answer, "level", None), ""),
                    previous_label=labels.get(getattr(before, "level", None), ""),
                )
            )
        blocks.append(
            SectionBlock(section, rows, scores.sections.get(section.title) if scores else None)
        )
    return AssessmentPage(
        blocks=blocks,
        levels=levels,
        progress=Progress(answered, carried, total),
        previous=previous,
    )


def progress(assessment: SelfAssessment) -> Progress:
    """Answered, carried over unchanged and all statements, for the progress bar."""
    total = Statement.objects.filter(version_id=assessment.round.version_id).count()
    counts = Answer.objects.filter(assessment=assessment, level__isnull=False).aggregate(
        answered=Count("id"), carried=Count("id", filter=Q(carried_over=True))
    )
    return Progress(counts["answered"], counts["carried"], total)


def section_score(assessment: SelfAssessment, section) -> Score:
    """One area's score of a self-assessment, for the live update while answering."""
    top = ScaleLevel.objects.filter(version_id=section.version_id).order_by("-value").first()
    score = Score()
    rows = (
        Answer.objects.filter(assessment=assessment, statement__section=section)
        .values_list("level")
        .annotate(count=Count("id"))
        .order_by()
    )
    for level, count in rows:
        score.add(level, count, top.value if top else None)
    return score


def get_statement_for(assessment: SelfAssessment, pk: int) -> Statement:
    """A statement of the assessment's checklist version (404 for any other)."""
    return get_object_or_404(
        Statement.objects.filter(version_id=assessment.round.version_id).select_related("section"),
        pk=pk,
    )


def statement_ids(assessment: SelfAssessment) -> set[int]:
    return set(
        Statement.objects.filter(version_id=assessment.round.version_id).values_list(
            "pk", flat=True
        )
    )


def scale_levels(assessment: SelfAssessment) -> list[ScaleLevel]:
    return list(ScaleLevel.objects.filter(version_id=assessment.round.version_id))
