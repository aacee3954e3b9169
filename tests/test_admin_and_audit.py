import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.urls import reverse

from programmes.models import Organisation

from .conftest import client_for
from .factories import UserFactory


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label_lower)
def test_admin_change_list_opens(world, model):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(superuser)
    info = model._meta.app_label, model._meta.model_name

    listing = client.get(reverse("admin:{}_{}_changelist".format(*info)))

    assert listing.status_code == 200


def test_editing_organisation_is_audited_with_actor(world):
    client = client_for(world.key_person)
    organisation = world.mentor

    client.post(
        reverse("programmes:organisation_update", kwargs={"pk": organisation.pk}),
        {"description": "Ny beskrivning", "website": ""},
    )

    entry = LogEntry.objects.get_for_object(Organisation.objects.get(pk=organisation.pk)).first()
    assert entry.actor == world.key_person
    assert entry.changes_dict["description"][1] == "Ny beskrivning"
