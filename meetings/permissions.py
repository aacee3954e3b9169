"""Who may do what with meetings. Planning is the cluster's key persons' and SKR's."""

from programmes.enums import Role
from programmes.models import Assignment
from programmes.permissions import can_edit_cluster_planning


def can_plan_meeting(user, meeting) -> bool:
    return can_edit_cluster_planning(user, meeting.cluster)


def organisations_user_acts_for(user, meeting) -> list[int]:
    """Organisations of the meeting's cluster for which the user is a key person."""
    return list(
        Assignment.objects.active()
        .filter(
            person=user,
            programme_id=meeting.cluster.programme_id,
            role=Role.KEY_PERSON,
            organisation__cluster_memberships__cluster_id=meeting.cluster_id,
        )
        .values_list("organisation_id", flat=True)
    )
