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


def is_project_manager(user, programme: Programme) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return _active_assignments(user).filter(programme=programme, role=Role.PROJECT_MANAGER).exists()


def can_manage_programme(user, programme: Programme) -> bool:
    return is_project_manager(user, programme)


def can_edit_cluster_planning(user, cluster: Cluster) -> bool:
    if is_project_manager(user, cluster.programme):
        return True
    return (
        _active_assignments(user)
        .filter(
            programme_id=cluster.programme_id,
            role=Role.KEY_PERSON,
            organisation__cluster_memberships__cluster=cluster,
        )
        .exists()
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
    return (
        _active_assignments(user)
        .filter(
            programme=programme,
            organisation=organisation,
            role__in=roles or ORGANISATION_ROLES,
        )
        .exists()
    )
