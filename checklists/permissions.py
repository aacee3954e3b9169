"""Who may do what with checklists and self-assessments.

- SKR's project managers import checklist versions and set up their programme's rounds.
- Everyone in a cluster sees the submitted self-assessments and results of its
  organisations (benchmarking is sharing); a draft only its own people and SKR's project
  manager. The project manager sees all clusters of the programme.
- The organisation's own people (elected official, manager, key person) fill in its joint
  self-assessment; its key person submits it (and may reopen it).
"""

from programmes.enums import ORGANISATION_ROLES, Role
from programmes.models import Assignment
from programmes.permissions import holds_organisation_role, is_project_manager, roles_in


def can_manage_checklists(user) -> bool:
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or Assignment.objects.active().filter(person=user, role=Role.PROJECT_MANAGER).exists()
    )


def can_manage_rounds(user, programme) -> bool:
    return is_project_manager(user, programme)


def _roles_in(user, assessment) -> set[str]:
    held = roles_in(user, assessment.round.programme_id, assessment.organisation_id)
    return held & set(ORGANISATION_ROLES)


def can_contribute(user, assessment) -> bool:
    """May change the answers (while the self-assessment is not submitted)."""
    return bool(_roles_in(user, assessment))


def can_submit(user, assessment) -> bool:
    return Role.KEY_PERSON in _roles_in(user, assessment)


def can_start(user, programme, organisation) -> bool:
    return holds_organisation_role(user, programme, organisation)


def can_see_answers(user, assessment) -> bool:
    """A draft is the organisation's own work in progress: its people and SKR's project
    manager see it; the rest of the cluster sees the answers once it is submitted."""
    if assessment.is_submitted:
        return True
    return can_contribute(user, assessment) or is_project_manager(user, assessment.round.programme)
