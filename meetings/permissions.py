"""Who may do what with meetings. Planning is the cluster's key persons' and SKR's."""

from programmes.models import Assignment
from programmes.permissions import (
    can_edit_cluster_planning,
    is_project_manager,
    key_person_organisations,
    key_person_organisations_in,
)


def can_plan_meeting(user, meeting) -> bool:
    return can_edit_cluster_planning(user, meeting.cluster)


def document_organisations(user, meeting):
    """Organisations a user may post documents for: all of the cluster's for its planners,
    otherwise the organisations the user has a role in."""
    from programmes.models import Organisation

    in_cluster = Organisation.objects.filter(cluster_memberships__cluster=meeting.cluster)
    if can_plan_meeting(user, meeting):
        return in_cluster
    own = Assignment.objects.active().filter(person=user, programme_id=meeting.cluster.programme_id)
    return in_cluster.filter(pk__in=own.values("organisation_id"))


def ticks_every_preparation(user, meeting) -> bool:
    """A preparation is ticked by its own organisation's key persons; SKR's project manager
    may tick any (planners of other organisations may not: it is not their work)."""
    return is_project_manager(user, meeting.cluster.programme)


def organisations_user_acts_for(user, meeting) -> list[int]:
    """Organisations of the meeting's cluster for which the user is a key person."""
    return key_person_organisations_in(user, meeting.cluster)


def can_change_host(user, meeting) -> bool:
    """Once people have registered, the host's key persons see their named special needs:
    from then on only SKR's project manager may hand the meeting (and that list) to another
    organisation, so no planner can give the list to themselves."""
    from programmes.permissions import is_project_manager

    if is_project_manager(user, meeting.cluster.programme):
        return True
    return not meeting.registrations.exists()


def can_see_special_needs(user, meeting) -> bool:
    """Named special needs: the SKR project manager and the host's key persons only."""
    from programmes.permissions import is_project_manager

    if is_project_manager(user, meeting.cluster.programme):
        return True
    return meeting.host_id in key_person_organisations(user, meeting.cluster.programme_id)
