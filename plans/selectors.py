"""Reading improvement plans, scoped to the clusters a user takes part in."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from meetings.models import Meeting
from programmes.selectors import memberships_of, shares_cluster

from .enums import ActionStatus
from .models import FollowUp, ImprovementAction


def visible_actions(user):
    return ImprovementAction.objects.filter(shares_cluster(user))


def _with_details(queryset):
    return queryset.select_related(
        "organisation", "statement", "organisation_kpi__kpi", "responsible_person", "programme"
    ).prefetch_related(
        Prefetch(
            "follow_ups",
            queryset=FollowUp.objects.select_related("meeting", "created_by").order_by(
                "created_at"
            ),
        )
    )


def get_action_for_user(user, pk: int) -> ImprovementAction:
    return get_object_or_404(_with_details(visible_actions(user)), pk=pk)


def last_held_meeting(cluster) -> Meeting | None:
    return (
        Meeting.objects.filter(cluster=cluster, ends_at__lt=timezone.now())
        .order_by("-ends_at")
        .first()
    )


def plan(programme, organisation, *, since=None) -> list[ImprovementAction]:
    """The organisation's actions; with ``since`` only those new, changed or followed up
    after that moment (the "since the last meeting" view)."""
    actions = ImprovementAction.objects.filter(programme=programme, organisation=organisation)
    if since is not None:
        actions = actions.filter(
            Q(created_at__gte=since)
            | Q(updated_at__gte=since)
            | Q(follow_ups__created_at__gte=since)
        ).distinct()
    return list(_with_details(actions).order_by("status", "due_on", "pk"))


@dataclass
class OrganisationPlan:
    organisation: object
    is_mentor: bool
    actions: list[ImprovementAction]

    def count(self, status) -> int:
        return sum(1 for action in self.actions if action.status == status)

    @property
    def counts(self) -> list[tuple[str, int]]:
        return [(label, self.count(value)) for value, label in ActionStatus.choices]


def cluster_plans(cluster) -> list[OrganisationPlan]:
    memberships = memberships_of(cluster)
    actions = defaultdict(list)
    for action in _with_details(
        ImprovementAction.objects.filter(
            programme_id=cluster.programme_id,
            organisation_id__in=[m.organisation_id for m in memberships],
        )
    ).order_by("status", "due_on", "pk"):
        actions[action.organisation_id].append(action)
    return [
        OrganisationPlan(m.organisation, m.is_mentor, actions[m.organisation_id])
        for m in memberships
    ]


def meetings_for_follow_up(programme, organisation) -> list[Meeting]:
    """The meetings of the organisation's clusters in the programme, read once per page."""
    return list(
        Meeting.objects.filter(
            cluster__programme=programme, cluster__memberships__organisation=organisation
        ).order_by("sequence", "pk")
    )


def organisation_people(programme, organisation):
    """People who hold a role in the organisation in the programme (responsible persons)."""
    from django.contrib.auth import get_user_model

    from programmes.models import Assignment

    return (
        get_user_model()
        .objects.filter(
            assignments__in=Assignment.objects.active().filter(
                programme=programme, organisation=organisation
            )
        )
        .distinct()
        .order_by("full_name")
    )


def linkable_statement(programme, pk):
    """A checklist statement of a version the programme's rounds use (None otherwise)."""
    from checklists.models import Statement

    return Statement.objects.filter(pk=pk, version__rounds__programme=programme).first()


def linkable_organisation_kpi(programme, organisation, pk):
    """One of the organisation's own key figures in the programme (None otherwise)."""
    from keyfigures.models import OrganisationKpi

    return (
        OrganisationKpi.objects.select_related("kpi")
        .filter(pk=pk, programme=programme, organisation=organisation)
        .first()
    )
