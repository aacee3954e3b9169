"""The SKR project manager's overview of a programme: every cluster at a glance.

Everything is read in a fixed number of grouped queries, so a programme with fifty clusters
costs the same number of queries as one with two.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benchmarking.freshness import next_midnight
from benchmarking.numbers import half_up, percent

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


BADGE_CLASSES = {
    MeetingStatus.NOT_PLANNED: "text-bg-light border",
    MeetingStatus.PLANNED: "text-bg-secondary",
    MeetingStatus.INVITED: "text-bg-primary",
    MeetingStatus.HELD: "text-bg-warning",
    MeetingStatus.EVALUATED: "text-bg-success",
}


@dataclass
class MeetingCell:
    """One meeting as the overview shows it. Labels and links are worked out once here: a
    page of fifty clusters shows two hundred of them."""

    meeting: object
    status: str
    invited: int = 0
    answered: int = 0
    attending: int = 0
    evaluations_sent: int = 0
    evaluations: int = 0
    # the mean of every rating given in the meeting's built-in evaluation (1–5)
    mean_rating: float | None = None
    status_label: str = ""
    kind_label: str = ""
    url: str = ""

    @property
    def badge_class(self) -> str:
        return BADGE_CLASSES[self.status]

    @property
    def response_rate(self) -> int | None:
        return percent(self.evaluations, self.evaluations_sent)


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
    mean_rating: float | None = None

    @property
    def statuses(self) -> set[str]:
        return {cell.status for cell in self.meetings}


@dataclass
class Overview:
    programme: object
    rounds: list
    clusters: list[ClusterRow]
    mean_rating: float | None = None
    # per round: (round, submitted, organisations in the shown clusters)
    assessments: list[tuple] = field(default_factory=list)
    # (status label, number of actions) over the shown clusters
    actions: list[tuple] = field(default_factory=list)
    # the meeting status the clusters were filtered by ("" for all)
    status: str = ""
    # when the clock changes what this shows: the next meeting to end (held), or midnight
    # (overdue tasks, the current month)
    valid_until: datetime.datetime | None = None

    @property
    def cells(self) -> list[MeetingCell]:
        return [cell for row in self.clusters for cell in row.meetings]

    @property
    def timeline(self) -> list[tuple[datetime.date, list[MeetingCell]]]:
        """Every dated meeting in date order, grouped by month (local time); with a status
        filter, only the meetings in that status."""
        months = defaultdict(list)
        dated = sorted(
            (
                cell
                for cell in self.cells
                if cell.meeting.starts_at and self.status in ("", cell.status)
            ),
            key=lambda cell: (cell.meeting.starts_at, cell.meeting.cluster.name),
        )
        for cell in dated:
            local = timezone.localtime(cell.meeting.starts_at)
            months[local.date().replace(day=1)].append(cell)
        return list(months.items())

    @property
    def undated(self) -> list[MeetingCell]:
        if self.status not in ("", MeetingStatus.NOT_PLANNED):
            return []
        return [cell for cell in self.cells if not cell.meeting.starts_at]

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        counts = Counter(cell.status for cell in self.cells)
        return [(value, label, counts[value]) for value, label in MeetingStatus.LABELS.items()]

    @property
    def totals(self) -> dict:
        cells = self.cells
        sent = sum(cell.evaluations_sent for cell in cells)
        answered = sum(cell.evaluations for cell in cells)
        return {
            "clusters": len(self.clusters),
            "organisations": sum(len(row.organisations) for row in self.clusters),
            "meetings": len(cells),
            "invited": sum(cell.invited for cell in cells),
            "answered": sum(cell.answered for cell in cells),
            "attending": sum(cell.attending for cell in cells),
            "evaluations_sent": sent,
            "evaluations": answered,
            "response_rate": percent(answered, sent),
            "mean_rating": self.mean_rating,
            "overdue_tasks": sum(row.overdue_tasks for row in self.clusters),
        }


# What the overview, its exports and the report show of a meeting (its texts are long).
OVERVIEW_MEETING_FIELDS = [
    "cluster__name",
    "kind",
    "sequence",
    "starts_at",
    "ends_at",
    "host__name",
]


def _mean_rating(ratings: dict, meetings) -> float | None:
    """The mean of every rating given in these meetings' evaluations."""
    total = count = 0
    for meeting in meetings:
        meeting_total, meeting_count = ratings.get(meeting.pk, (0, 0))
        total, count = total + meeting_total, count + meeting_count
    return half_up(Decimal(total) / count) if count else None


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
    from meetings.enums import MeetingKind
    from meetings.models import ChecklistTask, EvaluationAnswer, Meeting, Registration
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
    for meeting in (
        Meeting.objects.filter(cluster__programme=programme)
        .select_related("host", "cluster")
        .only(*OVERVIEW_MEETING_FIELDS)
    ):
        meetings[meeting.cluster_id].append(meeting)
    invited = set(
        OutgoingMail.objects.filter(
            meeting__cluster__programme=programme, purpose=MailPurpose.MEETING_INVITATION
        )
        .values_list("meeting_id", flat=True)
        .order_by()
        .distinct()
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
    ratings = {  # meeting id -> (sum of ratings, number of ratings)
        meeting_id: (total, count)
        for meeting_id, total, count in EvaluationAnswer.objects.filter(
            registration__meeting__cluster__programme=programme
        )
        .values_list("registration__meeting_id")
        .annotate(Sum("rating_total"), Sum("rating_count"))
        .order_by()
    }
    # A task is due a number of days from its meeting's (local) date: counted here from the
    # meetings already loaded, without building a model instance per task.
    dates = {m.pk: (m.cluster_id, m.date) for ms in meetings.values() for m in ms if m.date}
    overdue = Counter()
    for meeting_id, days, count in (
        ChecklistTask.objects.filter(
            meeting__cluster__programme=programme,
            done_at__isnull=True,
            meeting__starts_at__isnull=False,
            automatic="",  # the product does these itself: never overdue for people
        )
        .values_list("meeting_id", "days")
        .annotate(count=Count("id"))
        .order_by()
    ):
        if meeting_id not in dates:  # dated since the meetings were read
            continue
        cluster_id, date = dates[meeting_id]
        if date + datetime.timedelta(days=days) < today:
            overdue[cluster_id] += count
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

    status_labels = {value: str(label) for value, label in MeetingStatus.LABELS.items()}
    kind_labels = {value: str(label) for value, label in MeetingKind.choices}
    action_labels = [(value, str(label)) for value, label in ActionStatus.choices]
    rows = []
    for cluster in clusters:
        members = memberships[cluster.pk]
        cells = []
        for meeting in sorted(meetings[cluster.pk], key=lambda m: m.sequence):
            counts = registrations.get(meeting.pk, {})
            state = _status(meeting, meeting.pk in invited, counts.get("evaluations_sent"), now)
            cells.append(
                MeetingCell(
                    meeting=meeting,
                    status=state,
                    invited=counts.get("invited", 0),
                    answered=counts.get("answered", 0),
                    attending=counts.get("attending", 0),
                    evaluations_sent=counts.get("evaluations_sent", 0),
                    evaluations=counts.get("evaluations", 0),
                    mean_rating=_mean_rating(ratings, [meeting]),
                    status_label=status_labels[state],
                    kind_label=kind_labels[meeting.kind],
                    url=meeting.get_absolute_url(),
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
                actions=[(label, cluster_actions[value]) for value, label in action_labels],
                mean_rating=_mean_rating(ratings, meetings[cluster.pk]),
            )
        )
    if status:
        rows = [row for row in rows if status in row.statuses]
    shown = {row.cluster.pk for row in rows}
    organisations = sum(len(row.organisations) for row in rows)
    return Overview(
        programme=programme,
        rounds=rounds,
        clusters=rows,
        mean_rating=_mean_rating(
            ratings, [meeting for cluster_id in shown for meeting in meetings[cluster_id]]
        ),
        assessments=[
            (r, sum(row.assessments[i][1] for row in rows), organisations)
            for i, r in enumerate(rounds)
        ],
        actions=[
            (label, sum(row.actions[i][1] for row in rows))
            for i, (_value, label) in enumerate(action_labels)
        ],
        status=status,
        valid_until=min(
            [m.ends_at for ms in meetings.values() for m in ms if m.ends_at and m.ends_at >= now]
            + [next_midnight(now)]
        ),
    )


@dataclass
class ParticipantRow:
    cluster: Cluster
    organisation: object
    is_mentor: bool
    person: object
    roles: list[str]
    # per meeting of the cluster, in order: (meeting, answer label; "" when not invited)
    answers: list[tuple]


def _answer(answers: dict, meeting, person, membership):
    """The person's answer for this organisation; a registration whose organisation has
    since been removed (None) still counts as theirs."""
    key = (meeting.pk, person.pk)
    return answers.get((*key, membership.organisation_id), answers.get((*key, None)))


def participant_rows(programme) -> list[ParticipantRow]:
    """Everyone holding an active role for an organisation in one of the programme's
    clusters, with their answer to each of the cluster's meetings. Four queries."""
    from meetings.enums import Attendance
    from meetings.models import Meeting, Registration

    from .enums import Role
    from .models import ROLE_ORDER, Assignment

    memberships = list(
        ClusterMembership.objects.filter(cluster__programme=programme)
        .select_related("cluster", "organisation")
        .order_by("cluster__name", "-is_mentor", "organisation__name")
    )
    meetings = defaultdict(list)
    for meeting in Meeting.objects.filter(cluster__programme=programme).order_by("sequence"):
        meetings[meeting.cluster_id].append(meeting)
    # A registration is the person's answer for the organisation they were invited for
    # (someone with roles in two organisations of a cluster is invited once).
    answers = {
        (meeting_id, person_id, organisation_id): attendance
        for meeting_id, person_id, organisation_id, attendance in Registration.objects.filter(
            meeting__cluster__programme=programme
        ).values_list("meeting_id", "person_id", "organisation_id", "attendance")
    }
    people = defaultdict(dict)  # organisation id -> person id -> (person, roles)
    for assignment in (
        Assignment.objects.active()
        .filter(programme=programme, organisation__isnull=False, person__is_active=True)
        .exclude(role=Role.PROJECT_MANAGER)
        .select_related("person")
        .order_by("person__full_name", "pk")
    ):
        person, roles = people[assignment.organisation_id].setdefault(
            assignment.person_id, (assignment.person, [])
        )
        roles.append(assignment.role)
    labels = {
        Attendance.IN_PERSON: _("In person"),
        Attendance.REMOTE: _("Remotely"),
        Attendance.NOT_ATTENDING: _("Not attending"),
        "": _("No answer yet"),
    }
    rows = []
    for membership in memberships:
        for person, roles in people[membership.organisation_id].values():
            roles.sort(key=ROLE_ORDER.index)
            rows.append(
                ParticipantRow(
                    cluster=membership.cluster,
                    organisation=membership.organisation,
                    is_mentor=membership.is_mentor,
                    person=person,
                    roles=[str(Role(role).label) for role in roles],
                    answers=[
                        (
                            meeting,
                            labels.get(_answer(answers, meeting, person, membership), ""),
                        )
                        for meeting in meetings[membership.cluster_id]
                    ],
                )
            )
    return rows
