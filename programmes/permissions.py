"""Who may do what. Every access decision of the programmes app is made here.

- The SKR project manager sees and edits everything in their programme.
- Key persons edit their cluster's shared planning and their own organisation.
- Participants see their own cluster (everything in a cluster is shared) and nothing else.
Objects a user may not see answer 404 (see selectors); objects they may see but not
change answer 403.
"""

from .enums import Role
from .models import Assignment, Cluster, Organisation, Programme


def _active_assignments(user):
    return Assignment.objects.active().filter(person=user)


def active_roles(user) -> frozenset[tuple[int, int | None, str]]:
    """The user's active assignments as (programme, organisation, role), read once per user
    object, as Django's ModelBackend keeps permissions in ``_perm_cache``: a request decides
    everything with one consistent set (a changed assignment counts from the next request)."""
    if not user.is_authenticated:
        return frozenset()
    roles = getattr(user, "_active_roles", None)
    if roles is None:
        roles = frozenset(
            _active_assignments(user)
            .order_by()
            .values_list("programme_id", "organisation_id", "role")
        )
        user._active_roles = roles
    return roles


def roles_in(user, programme_id: int, organisation_id: int | None = None) -> set[str]:
    """The user's roles in the programme (in the organisation, if given)."""
    return {
        role
        for programme, organisation, role in active_roles(user)
        if programme == programme_id and organisation_id in (None, organisation)
    }


def key_person_organisations(user, programme_id: int) -> set[int]:
    return {
        organisation
        for programme, organisation, role in active_roles(user)
        if programme == programme_id and role == Role.KEY_PERSON
    }


def is_project_manager(user, programme: Programme) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Role.PROJECT_MANAGER in roles_in(user, programme.pk)


def can_manage_programme(user, programme: Programme) -> bool:
    return is_project_manager(user, programme)


def key_person_organisations_in(user, cluster: Cluster) -> list[int]:
    """The cluster's organisations for which the user is a key person (kept with the roles:
    a page that asks whether the user plans and for whom they act asks once)."""
    organisations = key_person_organisations(user, cluster.programme_id)
    if not organisations:
        return []
    memo = user.__dict__.setdefault("_key_person_in", {})
    if cluster.pk not in memo:
        memo[cluster.pk] = sorted(
            cluster.memberships.filter(organisation_id__in=organisations).values_list(
                "organisation_id", flat=True
            )
        )
    return memo[cluster.pk]


def can_edit_cluster_planning(user, cluster: Cluster) -> bool:
    return is_project_manager(user, cluster.programme) or bool(
        key_person_organisations_in(user, cluster)
    )


def manages_organisation(user, organisation: Organisation) -> bool:
    """Whether the user is SKR project manager of a programme the organisation takes part in."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        _active_assignments(user)
        .filter(
            role=Role.PROJECT_MANAGER,
            programme__clusters__memberships__organisation=organisation,
        )
        .exists()
    )


def can_edit_organisation(user, organisation: Organisation) -> bool:
    if manages_organisation(user, organisation):
        return True
    return (
        user.is_authenticated
        and _active_assignments(user)
        .filter(role=Role.KEY_PERSON, organisation=organisation)
        .exists()
    )


def holds_organisation_role(user, programme, organisation, roles=None) -> bool:
    """Whether the user holds (one of) the roles in the organisation in the programme;
    by default any of the organisation's roles (elected official, manager, key person)."""
    from .enums import ORGANISATION_ROLES

    if not user.is_authenticated:
        return False
    held = roles_in(user, programme.pk, organisation.pk)
    return bool(held & set(roles or ORGANISATION_ROLES))


def can_edit_fact_sheet(user, programme: Programme, organisation: Organisation) -> bool:
    """The organisation's key person fills in its fact sheet; SKR's project manager may too."""
    return is_project_manager(user, programme) or holds_organisation_role(
        user, programme, organisation, roles=[Role.KEY_PERSON]
    )
