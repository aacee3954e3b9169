"""Who may change an organisation's improvement plan: its own people (elected official,
manager, key person) and SKR's project manager. The cluster sees every plan."""

from programmes.enums import ORGANISATION_ROLES
from programmes.models import Assignment
from programmes.permissions import is_project_manager


def can_edit_plan(user, programme, organisation) -> bool:
    if is_project_manager(user, programme):
        return True
    return (
        user.is_authenticated
        and Assignment.objects.active()
        .filter(
            person=user,
            programme=programme,
            organisation=organisation,
            role__in=ORGANISATION_ROLES,
        )
        .exists()
    )
