"""Granting and ending roles: nothing is granted by default, SKR's role only by SKR, every
change is recorded and mailed to the person concerned."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from outbox.enums import MailPurpose
from outbox.models import OutgoingMail
from programmes import services
from programmes.enums import Role
from programmes.models import Assignment

from ..conftest import client_for


def _invite_url(world):
    return reverse("programmes:person_invite", kwargs={"pk": world.programme.pk})


def _invite(world, user=None, **data):
    form = {"full_name": "Ny Person", "email": "ny.person@kommun.example", **data}
    return client_for(user or world.project_manager).post(_invite_url(world), form)


def test_invite_form_preselects_no_role(world):
    response = client_for(world.project_manager).get(_invite_url(world))

    assert response.context["form"]["role"].value() is None
    assert '<option value="" selected>' in response.text
    assert '<option value="project_manager" selected>' not in response.text


def test_invite_form_shows_what_each_role_gives_access_to(world):
    response = client_for(world.project_manager).get(_invite_url(world))

    assert "Vad varje roll ger tillgång till" in response.text
    assert "varje deltagares särskilda behov" in response.text


def test_invite_without_a_role_is_refused(world, mailoutbox):
    response = _invite(world, organisation=world.benchmarking_organisation.pk)

    assert response.status_code == 200
    assert response.context["form"].errors["role"] == ["Detta fält måste fyllas i."]
    assert not Assignment.objects.filter(person__email="ny.person@kommun.example").exists()
    assert OutgoingMail.objects.count() == 0


def test_project_manager_role_for_a_municipality_is_refused(world):
    response = _invite(
        world,
        role=Role.PROJECT_MANAGER,
        organisation=world.benchmarking_organisation.pk,
        confirm_project_manager="on",
    )

    assert response.status_code == 200
    assert response.context["form"].errors["organisation"] == [
        f"En projektledare på SKR arbetar på SKR, inte för "
        f"{world.benchmarking_organisation.name}. Lämna organisationen tom, eller välj en av "
        "organisationens roller."
    ]
    assert not Assignment.objects.filter(person__email="ny.person@kommun.example").exists()


def test_organisation_role_without_an_organisation_is_refused(world):
    response = _invite(world, role=Role.KEY_PERSON)

    assert response.status_code == 200
    assert response.context["form"].errors["organisation"] == ["Välj personens organisation."]


def test_project_manager_role_needs_a_confirmation(world):
    response = _invite(world, role=Role.PROJECT_MANAGER)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["confirm_project_manager"]
    assert (
        not Assignment.objects.filter(role=Role.PROJECT_MANAGER)
        .exclude(person=world.project_manager)
        .exists()
    )


def test_project_manager_grants_project_manager_role_recorded_and_mailed(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(world, role=Role.PROJECT_MANAGER, confirm_project_manager="on")

    assert response.status_code == 302
    assignment = Assignment.objects.get(person__email="ny.person@kommun.example")
    assert (assignment.role, assignment.organisation) == (Role.PROJECT_MANAGER, None)
    entry = LogEntry.objects.get_for_object(assignment).get()
    assert entry.actor == world.project_manager
    assert entry.changes_dict["role"] == ["None", "project_manager"]
    assert [m.to for m in mailoutbox] == [["ny.person@kommun.example"]]
    assert "projektledare" in mailoutbox[0].body


def test_organisation_role_is_granted_for_the_chosen_organisation(world):
    response = _invite(world, role=Role.MANAGER, organisation=world.benchmarking_organisation.pk)

    assert response.status_code == 302
    assignment = Assignment.objects.get(person__email="ny.person@kommun.example")
    assert (assignment.role, assignment.organisation) == (
        Role.MANAGER,
        world.benchmarking_organisation,
    )


@pytest.mark.parametrize("role", ["key_person", "participant", "other_cluster_participant"])
def test_only_skr_reaches_the_invite_form(world, role):
    response = _invite(
        world, user=world.user(role), role=Role.PROJECT_MANAGER, confirm_project_manager="on"
    )

    assert response.status_code == 403
    assert not Assignment.objects.filter(person__email="ny.person@kommun.example").exists()


def test_key_person_cannot_grant_project_manager_role_through_the_service(world):
    with pytest.raises(PermissionDenied):
        services.invite_person(
            programme=world.programme,
            email="ny.person@kommun.example",
            full_name="Ny Person",
            role=Role.PROJECT_MANAGER,
            organisation=None,
            invited_by=world.key_person,
        )


def test_project_manager_role_with_an_organisation_is_refused_by_the_service(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.invite_person(
            programme=world.programme,
            email="ny.person@kommun.example",
            full_name="Ny Person",
            role=Role.PROJECT_MANAGER,
            organisation=world.mentor,
            invited_by=world.project_manager,
        )

    assert list(error.value.error_dict) == ["organisation"]


def test_key_person_cannot_hand_over_project_manager_role(world):
    assignment = world.project_manager.assignments.get()

    with pytest.raises(PermissionDenied):
        services.hand_over_assignment(
            assignment,
            email="ny.person@kommun.example",
            full_name="Ny Person",
            handed_over_by=world.key_person,
        )

    assert Assignment.objects.get(pk=assignment.pk).ended_at is None


def test_end_role_asks_first(world):
    assignment = world.participant.assignments.get()
    url = reverse("programmes:assignment_end", kwargs={"pk": assignment.pk})

    response = client_for(world.project_manager).get(url)

    assert response.status_code == 200
    assert f"Avsluta rollen för {world.participant.full_name}?" in response.text
    assignment.refresh_from_db()
    assert assignment.ended_at is None


def test_ended_role_is_recorded_and_mailed_to_the_person(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    assignment = world.participant.assignments.get()
    url = reverse("programmes:assignment_end", kwargs={"pk": assignment.pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.project_manager).post(url)

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    entry = LogEntry.objects.get_for_object(assignment).latest("timestamp")
    assert entry.actor == world.project_manager
    mail = OutgoingMail.objects.get(purpose=MailPurpose.ROLE_ENDED)
    assert mail.recipient == world.participant
    assert [m.to for m in mailoutbox] == [[world.participant.email]]
    assert (
        f"{world.project_manager.full_name} har avslutat din roll som förtroendevald "
        f"({assignment.organisation.name})" in mailoutbox[0].body
    )


def test_ending_an_ended_role_again_sends_nothing(world, django_capture_on_commit_callbacks):
    assignment = world.participant.assignments.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.end_assignment(assignment, ended_by=world.project_manager)
        services.end_assignment(assignment, ended_by=world.project_manager)

    assert OutgoingMail.objects.filter(purpose=MailPurpose.ROLE_ENDED).count() == 1


def test_hand_over_tells_the_person_leaving_who_takes_over(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    assignment = world.key_person.assignments.get()

    with django_capture_on_commit_callbacks(execute=True):
        services.hand_over_assignment(
            assignment,
            email="efter@kommun.example",
            full_name="Efter Trädare",
            handed_over_by=world.project_manager,
        )

    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert set(by_recipient) == {world.key_person.email, "efter@kommun.example"}
    assert "till Efter Trädare" in by_recipient[world.key_person.email].body


def test_people_list_names_each_persons_cluster_and_filters_by_it(world):
    url = reverse("programmes:programme_manage", kwargs={"pk": world.programme.pk})
    client = client_for(world.project_manager)

    everyone = client.get(url).context["people"]
    one_cluster = client.get(url, {"cluster": world.other_cluster.pk}).context["people"]
    unknown = client.get(url, {"cluster": "x"}).context["people"]

    assert {a.person: a.cluster for a in everyone} == {
        world.project_manager: None,
        world.key_person: world.cluster,
        world.participant: world.cluster,
        world.other_participant: world.other_cluster,
    }
    assert [a.person for a in one_cluster] == [world.other_participant]
    assert len(unknown) == len(everyone)


def test_invite_from_a_cluster_offers_its_organisations_and_returns_there(world):
    url = reverse("programmes:person_invite", kwargs={"pk": world.programme.pk})
    client = client_for(world.project_manager)

    page = client.get(url, {"cluster": world.cluster.pk})
    response = client.post(
        f"{url}?cluster={world.cluster.pk}",
        {
            "full_name": "Ny Person",
            "email": "ny.person@kommun.example",
            "role": Role.MANAGER,
            "organisation": world.benchmarking_organisation.pk,
        },
    )

    offered = set(page.context["form"].fields["organisation"].queryset)
    assert offered == {m.organisation for m in world.cluster.memberships.all()}
    assert response.status_code == 302
    assert response.url == world.cluster.get_absolute_url()


def test_invite_from_a_cluster_refuses_another_clusters_organisation(world):
    url = reverse("programmes:person_invite", kwargs={"pk": world.programme.pk})
    other = world.other_cluster.memberships.first().organisation

    response = client_for(world.project_manager).post(
        f"{url}?cluster={world.cluster.pk}",
        {
            "full_name": "Ny Person",
            "email": "ny.person@kommun.example",
            "role": Role.MANAGER,
            "organisation": other.pk,
        },
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["organisation"]


def test_a_role_handed_over_twice_from_the_same_page_gets_one_successor(world):
    from django.core.exceptions import ValidationError

    stale = world.key_person.assignments.get()  # both submits loaded the page before
    services.hand_over_assignment(
        stale,
        email="forsta@kommun.example",
        full_name="Första",
        handed_over_by=world.project_manager,
    )

    with pytest.raises(ValidationError, match="redan avslutats"):
        services.hand_over_assignment(
            stale,
            email="andra@kommun.example",
            full_name="Andra",
            handed_over_by=world.project_manager,
        )

    holders = Assignment.objects.active().filter(role=Role.KEY_PERSON, organisation=world.mentor)
    assert [a.person.email for a in holders] == ["forsta@kommun.example"]


def test_staff_without_superuser_cannot_change_roles_in_the_admin(world):
    from django.contrib.auth.models import Permission

    staff = world.key_person
    staff.is_staff = True
    staff.save()
    staff.user_permissions.set(Permission.objects.filter(codename__endswith="_assignment"))

    response = client_for(staff).get(reverse("admin:programmes_assignment_add"))

    assert response.status_code == 403
