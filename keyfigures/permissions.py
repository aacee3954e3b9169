"""Who may change an organisation's key figures: its key persons and SKR's project manager.
Everyone in the cluster sees them (benchmarking is sharing)."""

from programmes.enums import Role
from programmes.models import Assignment
from programmes.permissions import is_project_manager


def can_edit_key_figures(user, programme, organisation) -> bool:
    if is_project_manager(user, programme):
        return True
    return (
        user.is_authenticated
        and Assignment.objects.active()
        .filter(person=user, programme=programme, organisation=organisation, role=Role.KEY_PERSON)
        .exists()
    )
