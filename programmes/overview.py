"""The SKR project manager's overview of a programme: every cluster at a glance.

Everything is read in a fixed number of grouped queries, so a programme with fifty clusters
costs the same number of queries as one with two.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Cluster, ClusterMembership


class MeetingStatus:
    NOT_PLANNED = "not_planned"
    PLANNED = "planned"
    INVITED = "invited"
    HELD = "held"
    EVALUATED = "evaluated"

    LABELS = {
        NOT_PLANNED: _("No date yet"),
        PLANNED: _("Planned"),
        INVITED: _("Invited"),
        HELD: _("Held"),
        EVALUATED: _("Evaluated"),
    }


@dataclass
class MeetingCell:
    meeting: object
    status: str
    invited: int = 0
    answered: int = 0
    attending: int = 0
    evaluations_sent: int = 0
    evaluations: int = 0

    @property
    def status_label(self):
        return MeetingStatus.LABELS[self.status]

    @property
    def badge_class(self) -> str:
        return {
            MeetingStatus.NOT_PLANNED: "text-bg-light border",
            MeetingStatus.PLANNED: "text-bg-secondary",
            MeetingStatus.INVITED: "text-bg-primary",
            MeetingStatus.HELD: "text-bg-warning",
            MeetingStatus.EVALUATED: "text-bg-success",
        }[self.status]

    @property
    def response_rate(self) -> int | None:
        if not self.evaluations_sent:
            return None
        return round(100 * self.evaluations / self.evaluations_sent)


@dataclass
class ClusterRow:
    cluster: Cluster
    organisations: list
    meetings: list[MeetingCell]
    overdue_tasks: int = 0
    # per round: (round, submitted count)
    assessments: list[tuple] = field(default_factory=list)
    # (status label, number of the organisations' actions)
    actions: list[tuple] = field(default_factory=list)

    @property
    def statuses(self) -> set[str]:
        return {cell.status for cell in self.meetings}


@dataclass
class Overview:
    programme: object
    rounds: list
    clusters: list[ClusterRow]

    @property
    def timeline(self) -> list[MeetingCell]:
        cells = [cell for row in self.clusters for cell in row.meetings if cell.meeting.starts_at]
        return sorted(cells, key=lambda cell: cell.meeting.starts_at)


def _status(meeting, invited: bool, evaluations_sent: bool, now) -> str:
    if meeting.starts_at is None:
        return MeetingStatus.NOT_PLANNED
    if evaluations_sent:
        return MeetingStatus.EVALUATED
    if meeting.ends_at and meeting.ends_at < now:
        return MeetingStatus.HELD
    if invited:
        return MeetingStatus.INVITED
    return MeetingStatus.PLANNED


def programme_overview(programme, *, status: str = "") -> Overview:
    from checklists.enums import AssessmentStatus
    from checklists.models import AssessmentRound, SelfAssessment
    from meetings.models import ChecklistTask, Meeting, Registration
    from outbox.enums import MailPurpose
    from outbox.models import OutgoingMail
    from plans.enums import ActionStatus
    from plans.models import ImprovementAction

    now = timezone.now()
    today = timezone.localdate()
    clusters = list(Cluster.objects.filter(programme=programme).order_by("name"))
    memberships = defaultdict(list)
    for membership in (
        ClusterMembership.objects.filter(cluster__programme=programme)
        .select_related("organisation")
        .order_by("-is_mentor", "organisation__name")
    ):
        memberships[membership.cluster_id].append(membership)
    meetings = defaultdict(list)
    for meeting in Meeting.objects.filter(cluster__programme=programme).select_related("host"):
        meetings[meeting.cluster_id].append(meeting)
    invited = set(
        OutgoingMail.objects.filter(
            meeting__cluster__programme=programme, purpose=MailPurpose.MEETING_INVITATION
        ).values_list("meeting_id", flat=True)
    )
    registrations = {
        row["meeting_id"]: row
        for row in Registration.objects.filter(meeting__cluster__programme=programme)
        .values("meeting_id")
        .annotate(
            invited=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            attending=Count("id", filter=Q(attendance__in=["in_person", "remote"])),
            evaluations_sent=Count("id", filter=Q(evaluation_sent_at__isnull=False)),
            evaluations=Count("evaluation"),
        )
        .order_by()
    }
    overdue = Counter()
    for task in ChecklistTask.objects.filter(
        meeting__cluster__programme=programme,
        done_at__isnull=True,
        meeting__starts_at__isnull=False,
    ).select_related("meeting"):
        if task.due_date and task.due_date < today:
            overdue[task.meeting.cluster_id] += 1
    rounds = list(AssessmentRound.objects.filter(programme=programme).order_by("due_on", "pk"))
    submitted = Counter(
        SelfAssessment.objects.filter(
            round__programme=programme, status=AssessmentStatus.SUBMITTED
        ).values_list("round_id", "organisation_id")
    )
    actions = defaultdict(Counter)
    for organisation_id, action_status, count in (
        ImprovementAction.objects.filter(programme=programme)
        .values_list("organisation_id", "status")
        .annotate(count=Count("id"))
        .order_by()
    ):
        actions[organisation_id][action_status] += count

    rows = []
    for cluster in clusters:
        members = memberships[cluster.pk]
        cells = []
        for meeting in sorted(meetings[cluster.pk], key=lambda m: m.sequence):
            counts = registrations.get(meeting.pk, {})
            cells.append(
                MeetingCell(
                    meeting=meeting,
                    status=_status(
                        meeting, meeting.pk in invited, counts.get("evaluations_sent", 0), now
                    ),
                    invited=counts.get("invited", 0),
                    answered=counts.get("answered", 0),
                    attending=counts.get("attending", 0),
                    evaluations_sent=counts.get("evaluations_sent", 0),
                    evaluations=counts.get("evaluations", 0),
                )
            )
        organisation_ids = [m.organisation_id for m in members]
        cluster_actions = Counter()
        for organisation_id in organisation_ids:
            cluster_actions.update(actions[organisation_id])
        rows.append(
            ClusterRow(
                cluster=cluster,
                organisations=members,
                meetings=cells,
                overdue_tasks=overdue[cluster.pk],
                assessments=[
                    (r, sum(submitted[(r.pk, o)] for o in organisation_ids)) for r in rounds
                ],
                actions=[(label, cluster_actions[value]) for value, label in ActionStatus.choices],
            )
        )
    if status:
        rows = [row for row in rows if status in row.statuses]
    return Overview(
        programme=programme,
        rounds=rounds,
        clusters=rows,
    )
