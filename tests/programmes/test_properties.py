"""Properties of the organisation, cluster and person forms, for any input."""

import pytest
from django.contrib.auth import get_user_model
from hypothesis import given
from hypothesis import strategies as st

from programmes import selectors
from programmes.forms import (
    ClusterCreateForm,
    InvitePersonForm,
    OrganisationCreateForm,
    OrganisationForm,
    PersonForm,
)
from programmes.models import Cluster, Organisation

from ..strategies import DB_EXAMPLES, random_valid_form

EMAIL = get_user_model()._meta.get_field("email")
FULL_NAME = get_user_model()._meta.get_field("full_name")

FORMS = {
    "organisation": lambda world: (
        lambda data: OrganisationForm(data, instance=Organisation.objects.get(pk=world.mentor.pk)),
        {},
    ),
    "organisation_create": lambda world: (
        lambda data: OrganisationCreateForm(
            data, clusters=Cluster.objects.filter(programme=world.programme)
        ),
        {},
    ),
    "cluster_create": lambda world: (
        lambda data: ClusterCreateForm(
            data, available=selectors.organisations_without_cluster(world.programme)
        ),
        {"name": Cluster._meta.get_field("name")},
    ),
    "person": lambda world: (PersonForm, {"email": EMAIL, "full_name": FULL_NAME}),
    "invite_person": lambda world: (
        lambda data: InvitePersonForm(data, organisations=Organisation.objects.all()),
        {"email": EMAIL, "full_name": FULL_NAME},
    ),
}


@pytest.mark.parametrize("name", sorted(FORMS))
@DB_EXAMPLES
@given(data=st.data())
def test_programme_forms_never_fail_and_keep_their_limits(name, world, data):
    make_form, model_fields = FORMS[name](world)

    form = random_valid_form(data, make_form, model_fields)

    if form is None:
        return
    cleaned = form.cleaned_data
    if name == "cluster_create":
        assert cleaned["mentor"] not in cleaned["organisations"]
