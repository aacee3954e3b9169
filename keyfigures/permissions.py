"""Who may change an organisation's key figures: its key persons and SKR's project manager.
Everyone in the cluster sees them (benchmarking is sharing)."""

from programmes.enums import Role
from programmes.permissions import holds_organisation_role, is_project_manager


def can_edit_key_figures(user, programme, organisation) -> bool:
    return is_project_manager(user, programme) or holds_organisation_role(
        user, programme, organisation, roles=[Role.KEY_PERSON]
    )
