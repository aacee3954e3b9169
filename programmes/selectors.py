"""Reading what a user may see. Cluster scoping lives here and nowhere else."""

from dataclasses import dataclass, field
from itertools import groupby

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from meetings.models import Meeting

from .enums import Role
from .models import (
    Assignment,
    Cluster,
    ClusterMembership,
    FactSheet,
    Organisation,
    Programme,
)
from .permissions import can_manage_programme


def visible_clusters(user) -> QuerySet[Cluster]:
    """Clusters the user takes part in, plus every cluster of programmes they manage."""
    if not user.is_authenticated:
        return Cluster.objects.none()
    if user.is_superuser:
        return Cluster.objects.all()
    active = Assignment.objects.active().filter(person=user, programme=OuterRef("programme"))
    manages = active.filter(role=Role.PROJECT_MANAGER)
    takes_part = active.filter(organisation__cluster_memberships__cluster=OuterRef("pk"))
    return Cluster.objects.filter(Exists(manages) | Exists(takes_part))


def shares_cluster(user, programme="programme", organisation="organisation") -> Exists:
    """A condition for querysets of things that belong to an organisation in a programme
    (self-assessments, key figures, plans): the user sees a cluster of that programme in
    which the organisation takes part. Arguments name the outer query's fields."""
    return Exists(
        visible_clusters(user).filter(
            programme=OuterRef(programme), memberships__organisation=OuterRef(organisation)
        )
    )


def memberships_of(cluster) -> list[ClusterMembership]:
    """The cluster's organisations, mentor first, then by name."""
    return list(
        ClusterMembership.objects.filter(cluster=cluster)
        .select_related("organisation")
        .order_by("-is_mentor", "organisation__name")
    )


def visible_programmes(user) -> QuerySet[Programme]:
    if not user.is_authenticated:
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(
        Exists(Assignment.objects.active().filter(person=user, programme=OuterRef("pk")))
    )


def visible_organisations(user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        Exists(
            ClusterMembership.objects.filter(
                organisation=OuterRef("pk"), cluster__in=visible_clusters(user)
            )
        )
    )


def _memberships_prefetch() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=ClusterMembership.objects.select_related("organisation").order_by(
            "-is_mentor", "organisation__name"
        ),
    )


def _meetings_prefetch() -> Prefetch:
    return Prefetch("meetings", queryset=Meeting.objects.select_related("host"))


def get_cluster_for_user(user, pk: int, *, prefetch: bool = True) -> Cluster:
    """The cluster (404 unless visible), with its memberships and meetings unless a cached
    page will ask for them only when it is drawn (``prefetch_cluster``)."""
    queryset = visible_clusters(user).select_related("programme")
    if prefetch:
        queryset = queryset.prefetch_related(_memberships_prefetch(), _meetings_prefetch())
    return get_object_or_404(queryset, pk=pk)


def cluster_of(programme_id: int, organisation_id: int) -> Cluster | None:
    """The cluster in which the organisation takes part in the programme (no access check:
    for pages that have checked access to something of the organisation's)."""
    return Cluster.objects.filter(
        programme_id=programme_id, memberships__organisation_id=organisation_id
    ).first()


def prefetch_cluster(cluster: Cluster) -> Cluster:
    prefetch_related_objects([cluster], _memberships_prefetch(), _meetings_prefetch())
    return cluster


def get_organisation_for_user(user, pk: int) -> Organisation:
    return get_object_or_404(visible_organisations(user), pk=pk)


def get_programme_for_manager(user, pk: int) -> Programme:
    """The programme if the user manages it; 403 for its participants, 404 for anyone else."""
    programme = get_object_or_404(visible_programmes(user), pk=pk)
    if not can_manage_programme(user, programme):
        raise PermissionDenied
    return programme


def get_assignment_for_manager(user, pk: int) -> Assignment:
    """A role the user manages; 403 for one they can see (their clusters' people, SKR's
    project managers), 404 for anyone else's."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("programme", "person", "organisation").filter(
            programme__in=visible_programmes(user)
        ),
        pk=pk,
    )
    if can_manage_programme(user, assignment.programme):
        return assignment
    visible = assignment.organisation_id is None or (
        visible_clusters(user)
        .filter(
            programme_id=assignment.programme_id,
            memberships__organisation_id=assignment.organisation_id,
        )
        .exists()
    )
    if not visible:
        raise Http404
    raise PermissionDenied


@dataclass
class OrganisationPeople:
    organisation: Organisation
    is_mentor: bool
    assignments: list[Assignment] = field(default_factory=list)


def people_by_organisation(cluster: Cluster) -> list[OrganisationPeople]:
    """The cluster's organisations (mentor first) with the people in their roles."""
    memberships = list(cluster.memberships.all())
    assignments = (
        Assignment.objects.active()
        .filter(
            programme_id=cluster.programme_id,
            organisation_id__in=[m.organisation_id for m in memberships],
        )
        .with_role_order()
        .select_related("person")
        .order_by("organisation_id", "role_order", "is_substitute", "person__full_name")
    )
    grouped = {
        org_id: list(items) for org_id, items in groupby(assignments, lambda a: a.organisation_id)
    }
    return [
        OrganisationPeople(m.organisation, m.is_mentor, grouped.get(m.organisation_id, []))
        for m in memberships
    ]


def organisation_people(organisation: Organisation, user) -> list[Assignment]:
    """Active roles held in the organisation, in programmes the user can see."""
    shared_clusters = visible_clusters(user).filter(memberships__organisation=organisation)
    return list(
        Assignment.objects.active()
        .filter(organisation=organisation, programme__clusters__in=shared_clusters)
        .distinct()
        .with_role_order()
        .select_related("person", "programme")
        .order_by("programme__name", "role_order", "is_substitute", "person__full_name")
    )


def organisation_clusters(organisation: Organisation, user) -> list[Cluster]:
    return list(
        visible_clusters(user)
        .filter(memberships__organisation=organisation)
        .select_related("programme")
    )


@dataclass
class ClusterSummary:
    cluster: Cluster
    organisations: list[OrganisationPeople]
    meetings: list[Meeting]


@dataclass
class ProgrammeOverview:
    programme: Programme
    roles: list[Assignment]
    clusters: list[ClusterSummary]
    manages: bool


def home_overview(user) -> list[ProgrammeOverview]:
    """Everything the home page shows, in a number of queries that does not grow with data.

    Participants see the people of their clusters; project managers, who may have dozens of
    clusters, see the organisations and open a cluster for its people.
    """
    roles = list(
        Assignment.objects.active()
        .filter(person=user)
        .select_related("organisation")
        .order_by("programme_id", "role")
    )
    roles_by_programme = {
        pid: list(items) for pid, items in groupby(roles, lambda a: a.programme_id)
    }
    overviews = {
        programme.pk: ProgrammeOverview(
            programme=programme,
            roles=roles_by_programme.get(programme.pk, []),
            clusters=[],
            manages=user.is_superuser
            or any(
                a.role == Role.PROJECT_MANAGER for a in roles_by_programme.get(programme.pk, [])
            ),
        )
        for programme in visible_programmes(user).order_by("-starts_on", "name")
    }
    participating = [pid for pid, overview in overviews.items() if not overview.manages]
    clusters = list(
        visible_clusters(user)
        .filter(programme_id__in=overviews.keys())
        .prefetch_related(_memberships_prefetch(), _meetings_prefetch())
        .order_by("name")
    )
    people: dict[tuple[int, int], list[Assignment]] = {}
    participant_org_ids = {
        m.organisation_id
        for c in clusters
        if c.programme_id in participating
        for m in c.memberships.all()
    }
    if participant_org_ids:
        for assignment in (
            Assignment.objects.active()
            .filter(programme_id__in=participating, organisation_id__in=participant_org_ids)
            .with_role_order()
            .select_related("person")
            .order_by("role_order", "is_substitute", "person__full_name")
        ):
            key = (assignment.programme_id, assignment.organisation_id)
            people.setdefault(key, []).append(assignment)
    for cluster in clusters:
        organisations = [
            OrganisationPeople(
                m.organisation,
                m.is_mentor,
                people.get((cluster.programme_id, m.organisation_id), []),
            )
            for m in cluster.memberships.all()
        ]
        overviews[cluster.programme_id].clusters.append(
            ClusterSummary(cluster, organisations, list(cluster.meetings.all()))
        )
    return list(overviews.values())


def upcoming_meetings(user, limit: int = 8) -> list[Meeting]:
    return list(
        Meeting.objects.filter(cluster__in=visible_clusters(user), starts_at__gte=timezone.now())
        .select_related("cluster", "host")
        .order_by("starts_at")[:limit]
    )


def programme_people(programme: Programme) -> list[Assignment]:
    """All roles in the programme, active and ended, for the project manager's page."""
    return list(
        programme.assignments.with_role_order()
        .select_related("person", "organisation", "handed_over_to__person")
        .order_by("organisation__name", "role_order", "ended_at", "person__full_name")
    )


def programme_organisations(programme: Programme) -> QuerySet[Organisation]:
    return Organisation.objects.filter(cluster_memberships__cluster__programme=programme)


def organisations_without_cluster(programme: Programme) -> QuerySet[Organisation]:
    return Organisation.objects.exclude(Q(cluster_memberships__cluster__programme=programme))


def home_overview_clusters(programme: Programme) -> list[Cluster]:
    """The programme's clusters with organisations and meetings, for the manager's page."""
    return list(programme.clusters.prefetch_related(_memberships_prefetch(), _meetings_prefetch()))


def get_programme_organisation_in_cluster(user, programme_pk: int, organisation_pk: int):
    """(programme, organisation, cluster) if the user sees a cluster of the programme in which
    the organisation takes part; 404 otherwise."""
    cluster = (
        visible_clusters(user)
        .filter(programme_id=programme_pk, memberships__organisation_id=organisation_pk)
        .select_related("programme")
        .first()
    )
    if cluster is None:
        raise Http404
    return cluster.programme, get_object_or_404(Organisation, pk=organisation_pk), cluster


def fact_sheet_of(programme: Programme, organisation: Organisation) -> FactSheet:
    """The organisation's fact sheet for the programme; an unsaved one if none is filled in
    yet, whose "other facts" start from the organisation's old free-text description."""
    sheet = FactSheet.objects.filter(programme=programme, organisation=organisation).first()
    if sheet is None:
        sheet = FactSheet(
            programme=programme, organisation=organisation, other_facts=organisation.description
        )
    return sheet


@dataclass
class FactSheetColumn:
    organisation: Organisation
    is_mentor: bool
    sheet: FactSheet


def cluster_fact_sheets(cluster: Cluster) -> list[FactSheetColumn]:
    """Every organisation of the cluster with its fact sheet (mentor first), in two queries."""
    memberships = list(
        ClusterMembership.objects.filter(cluster=cluster)
        .select_related("organisation")
        .order_by("-is_mentor", "organisation__name")
    )
    sheets = {
        sheet.organisation_id: sheet
        for sheet in FactSheet.objects.filter(
            programme_id=cluster.programme_id,
            organisation_id__in=[m.organisation_id for m in memberships],
        )
    }
    columns = []
    for membership in memberships:
        organisation = membership.organisation
        sheet = sheets.get(organisation.pk) or FactSheet(
            programme_id=cluster.programme_id,
            organisation=organisation,
            other_facts=organisation.description,
        )
        sheet.organisation = organisation
        columns.append(FactSheetColumn(organisation, membership.is_mentor, sheet))
    return columns


@dataclass
class FactSheetPart:
    title: str
    lines: list[tuple[str, str]]  # (label, text); empty text where nothing is filled in


def _with_time(person: str, time: str) -> str:
    return f"{person} ({time})" if person and time else person or time


def _population(sheet: FactSheet) -> str:
    if sheet.population_total is None and sheet.population_women is None:
        return ""
    text = _("%(year)s: %(women)s women, %(men)s men, %(total)s in all") % {
        "year": sheet.population_year or "–",
        "women": formats.number_format(sheet.population_women, force_grouping=True)
        if sheet.population_women is not None
        else "–",
        "men": formats.number_format(sheet.population_men, force_grouping=True)
        if sheet.population_men is not None
        else "–",
        "total": formats.number_format(sheet.population_total, force_grouping=True)
        if sheet.population_total is not None
        else "–",
    }
    return f"{text} ({_('Kolada')})" if sheet.population_from_kolada else text


def fact_sheet_parts(sheet: FactSheet) -> list[FactSheetPart]:
    """The fact sheet as SKR's template orders it, in plain text, for pages and documents."""
    return [
        FactSheetPart(
            _("Decision on gender mainstreaming"),
            [
                (_("Who decided"), sheet.decided_by),
                (
                    _("When"),
                    formats.date_format(sheet.decided_on, "j F Y") if sheet.decided_on else "",
                ),
                (_("Who is responsible"), sheet.responsible),
                (_("The decision"), sheet.decision),
            ],
        ),
        FactSheetPart(
            _("Resources"),
            [
                (
                    _("Elected official"),
                    _with_time(sheet.elected_official, sheet.elected_official_time),
                ),
                (_("Manager"), _with_time(sheet.manager, sheet.manager_time)),
                (_("Key person"), _with_time(sheet.key_person, sheet.key_person_time)),
            ],
        ),
        FactSheetPart(
            _("Current situation"),
            [
                (_("Population"), _population(sheet)),
                (_("The organisation"), sheet.organisation_facts),
                (_("Goals"), sheet.goals),
                (_("Prioritised areas"), sheet.priorities),
            ],
        ),
        FactSheetPart(
            _("Telling stakeholders why and how"),
            [(_("How"), sheet.communication)],
        ),
        FactSheetPart(_("Other facts"), [(_("Other facts"), sheet.other_facts)]),
    ]


def fact_sheet_comparison(columns: list[FactSheetColumn]) -> list[tuple[str, list[list]]]:
    """One row per part of the template, one cell per organisation: what each wrote."""
    parts = [fact_sheet_parts(column.sheet) for column in columns]
    if not parts:
        return []
    return [
        (
            parts[0][index].title,
            [[line for line in sheet_parts[index].lines if line[1]] for sheet_parts in parts],
        )
        for index in range(len(parts[0]))
    ]
