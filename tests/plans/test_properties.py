"""Properties of the improvement plan forms, for any input."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plans import selectors
from plans.forms import ActionForm, FollowUpForm
from plans.models import FollowUp, ImprovementAction

from ..strategies import DB_EXAMPLES, random_valid_form

FORMS = {
    "action": lambda world: (
        lambda data: ActionForm(
            data,
            people=selectors.organisation_people(world.programme, world.benchmarking_organisation),
        ),
        {"title": ImprovementAction._meta.get_field("title")},
    ),
    "follow_up": lambda world: (
        lambda data: FollowUpForm(
            data,
            prefix="action1",
            meetings=selectors.meetings_for_follow_up(
                world.programme, world.benchmarking_organisation
            ),
        ),
        {"status": FollowUp._meta.get_field("status")},
    ),
}


@pytest.mark.parametrize("name", sorted(FORMS))
@DB_EXAMPLES
@given(data=st.data())
def test_plan_forms_never_fail_and_keep_their_limits(name, world, data):
    make_form, model_fields = FORMS[name](world)

    form = random_valid_form(data, make_form, model_fields)

    if form is None:
        return
    cleaned = form.cleaned_data
    if name == "action" and cleaned["starts_on"] and cleaned["due_on"]:
        assert cleaned["due_on"] >= cleaned["starts_on"]
    if name == "follow_up" and cleaned["meeting"] is not None:
        assert (
            cleaned["meeting"]
            .cluster.memberships.filter(organisation=world.benchmarking_organisation)
            .exists()
        )
