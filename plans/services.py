"""Writing improvement plans: actions and their follow-ups."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .enums import ActionArea
from .models import FollowUp, ImprovementAction


def _check(fields):
    starts, due = fields.get("starts_on"), fields.get("due_on")
    if starts and due and due < starts:
        raise ValidationError({"due_on": _("The due date is before the start.")})


def create_action(
    programme, organisation, *, user, statement=None, organisation_kpi=None, **fields
):
    """A new action; from a checklist statement or a key figure it is linked back to it."""
    _check(fields)
    if statement is not None:
        fields["area"] = ActionArea.CHECKLIST
    elif organisation_kpi is not None:
        fields["area"] = ActionArea.KEY_FIGURE
    return ImprovementAction.objects.create(
        programme=programme,
        organisation=organisation,
        statement=statement,
        organisation_kpi=organisation_kpi,
        created_by=user,
        **{key: value for key, value in fields.items() if key in ImprovementAction.EDITABLE_FIELDS},
    )


def update_action(action, **fields):
    _check(fields)
    for key, value in fields.items():
        if key in ImprovementAction.EDITABLE_FIELDS:
            setattr(action, key, value)
    action.save()
    return action


def add_follow_up(action, *, note, status, meeting=None, user=None) -> FollowUp:
    """A follow-up note; the action takes the status given with it."""
    follow_up = FollowUp.objects.create(
        action=action, note=note, status=status, meeting=meeting, created_by=user
    )
    if action.status != status:
        action.status = status
        action.save(update_fields=["status", "updated_at"])
    return follow_up
