"""Who may change an organisation's improvement plan: its own people (elected official,
manager, key person) and SKR's project manager. The cluster sees every plan."""

from programmes.permissions import holds_organisation_role, is_project_manager


def can_edit_plan(user, programme, organisation) -> bool:
    return is_project_manager(user, programme) or holds_organisation_role(
        user, programme, organisation
    )
