from django.urls import reverse

from programmes.enums import Role
from programmes.models import Assignment, Cluster, Organisation

from ..conftest import client_for
from ..factories import OrganisationFactory


def test_cluster_page_shows_organisations_people_and_meetings(world):
    client = client_for(world.participant)

    response = client.get(reverse("programmes:cluster_detail", kwargs={"pk": world.cluster.pk}))

    content = response.content.decode()
    assert response.status_code == 200
    assert world.mentor.name in content
    assert world.key_person.full_name in content
    assert "Uppstartsträff" in content
    assert world.other_participant.full_name not in content


def test_home_lists_own_cluster_and_not_the_other(world):
    response = client_for(world.participant).get(reverse("programmes:home"))

    content = response.content.decode()
    assert world.cluster.name in content
    assert world.other_cluster.name not in content


def test_key_person_edits_organisation_description(world):
    client = client_for(world.key_person)
    url = reverse("programmes:organisation_update", kwargs={"pk": world.mentor.pk})

    response = client.post(url, {"description": "Fakta om oss.", "website": ""})

    assert response.status_code == 302
    world.mentor.refresh_from_db()
    assert world.mentor.description == "Fakta om oss."


def test_key_person_cannot_rename_organisation_through_the_form(world):
    client = client_for(world.key_person)
    url = reverse("programmes:organisation_update", kwargs={"pk": world.mentor.pk})
    name = world.mentor.name

    client.post(url, {"description": "x", "website": "", "name": "Hacked"})

    world.mentor.refresh_from_db()
    assert world.mentor.name == name


def test_organisation_bad_website_shows_message_and_keeps_saved_text(world):
    organisation = world.mentor
    organisation.description = "Sparad text"
    organisation.save()
    client = client_for(world.key_person)
    url = reverse("programmes:organisation_update", kwargs={"pk": world.mentor.pk})

    response = client.post(url, {"description": "Ny text", "website": "inte en adress"})

    assert response.status_code == 200
    assert response.context["form"].errors["website"]
    assert "Ny text" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.description == "Sparad text"


def test_project_manager_creates_cluster(world):
    client = client_for(world.project_manager)
    mentor, member = OrganisationFactory.create_batch(2)

    response = client.post(
        reverse("programmes:cluster_create", kwargs={"pk": world.programme.pk}),
        {"name": "Västkusten", "mentor": mentor.pk, "organisations": [member.pk]},
    )

    cluster = Cluster.objects.get(name="Västkusten")
    assert response.status_code == 302
    assert response.url == cluster.get_absolute_url()
    assert cluster.meetings.count() == 4


def test_cluster_with_mentor_also_benchmarking_shows_message(world):
    client = client_for(world.project_manager)
    mentor = OrganisationFactory()

    response = client.post(
        reverse("programmes:cluster_create", kwargs={"pk": world.programme.pk}),
        {"name": "Västkusten", "mentor": mentor.pk, "organisations": [mentor.pk]},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["organisations"]
    assert not Cluster.objects.filter(name="Västkusten").exists()


def test_cluster_name_taken_shows_message(world):
    client = client_for(world.project_manager)
    mentor, member = OrganisationFactory.create_batch(2)

    response = client.post(
        reverse("programmes:cluster_create", kwargs={"pk": world.programme.pk}),
        {"name": world.cluster.name, "mentor": mentor.pk, "organisations": [member.pk]},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"]


def test_project_manager_adds_new_organisation_to_cluster(world):
    client = client_for(world.project_manager)

    response = client.post(
        reverse("programmes:organisation_create", kwargs={"pk": world.programme.pk}),
        {
            "name": "Gävle kommun",
            "kind": "municipality",
            "kolada_id": "2180",
            "website": "",
            "cluster": world.cluster.pk,
        },
    )

    organisation = Organisation.objects.get(name="Gävle kommun")
    assert response.status_code == 302
    assert world.cluster.memberships.filter(organisation=organisation).exists()


def test_bad_kolada_id_gets_a_clear_message(world):
    client = client_for(world.project_manager)

    response = client.post(
        reverse("programmes:organisation_create", kwargs={"pk": world.programme.pk}),
        {
            "name": "Gävle kommun",
            "kind": "municipality",
            "kolada_id": "21",
            "website": "",
            "cluster": world.cluster.pk,
        },
    )

    assert response.status_code == 200
    assert "fyra siffror" in str(response.context["form"].errors["kolada_id"])


def test_project_manager_adds_existing_organisation_to_cluster(world):
    client = client_for(world.project_manager)
    organisation = OrganisationFactory()

    response = client.post(
        reverse("programmes:cluster_add_organisation", kwargs={"pk": world.cluster.pk}),
        {"organisation": organisation.pk},
    )

    assert response.status_code == 302
    assert world.cluster.memberships.filter(organisation=organisation).exists()


def test_invite_form_for_organisation_role_requires_organisation(world):
    client = client_for(world.project_manager)

    response = client.post(
        reverse("programmes:person_invite", kwargs={"pk": world.programme.pk}),
        {"full_name": "A B", "email": "ab@kommun.example", "role": Role.KEY_PERSON},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]


def test_invite_form_shows_service_error_on_field(world):
    client = client_for(world.project_manager)

    response = client.post(
        reverse("programmes:person_invite", kwargs={"pk": world.programme.pk}),
        {
            "full_name": "x",
            "email": world.other_participant.email,
            "role": Role.KEY_PERSON,
            "organisation": world.mentor.pk,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_project_manager_invites_key_person(world, mailoutbox):
    client = client_for(world.project_manager)

    response = client.post(
        reverse("programmes:person_invite", kwargs={"pk": world.programme.pk}),
        {
            "full_name": "Ny Nyckelperson",
            "email": "ny@kommun.example",
            "role": Role.KEY_PERSON,
            "organisation": world.benchmarking_organisation.pk,
        },
    )

    assert response.status_code == 302
    assert Assignment.objects.filter(person__email="ny@kommun.example").count() == 1


def test_hand_over_through_the_page(world):
    client = client_for(world.project_manager)
    assignment = world.key_person.assignments.get()

    response = client.post(
        reverse("programmes:assignment_hand_over", kwargs={"pk": assignment.pk}),
        {"full_name": "Efterträdare", "email": "ny.key@kommun.example"},
    )

    assignment.refresh_from_db()
    assert response.status_code == 302
    assert assignment.handed_over_to.person.email == "ny.key@kommun.example"


def test_end_role_through_the_page(world):
    client = client_for(world.project_manager)
    assignment = world.participant.assignments.get()

    client.post(reverse("programmes:assignment_end", kwargs={"pk": assignment.pk}))

    assignment.refresh_from_db()
    assert assignment.ended_at is not None


def test_organisation_page_shows_only_people_of_shared_clusters(world):
    from programmes import services

    from ..factories import ProgrammeFactory

    # In a second programme, the other cluster's organisation and the participant's share a
    # cluster: the participant may see that organisation, but not its people in programme A.
    other_org = world.other_cluster.memberships.first().organisation
    programme_b = ProgrammeFactory()
    services.create_cluster(
        programme=programme_b,
        name="B",
        mentor=other_org,
        organisations=[world.benchmarking_organisation],
    )
    Assignment.objects.create(
        programme=programme_b,
        person=world.participant,
        organisation=world.benchmarking_organisation,
        role=Role.KEY_PERSON,
    )

    response = client_for(world.participant).get(other_org.get_absolute_url())

    assert response.status_code == 200
    assert world.other_participant.full_name not in response.content.decode()


def test_form_error_not_tied_to_a_field_is_shown_once(world):
    client = client_for(world.project_manager)
    assignment = world.participant.assignments.get()
    assignment.ended_at = assignment.started_at
    assignment.save()

    response = client.post(
        reverse("programmes:assignment_hand_over", kwargs={"pk": assignment.pk}),
        {"full_name": "Ny", "email": "ny@kommun.example"},
    )

    assert response.content.decode().count("Den här rollen har redan avslutats.") == 1


def test_website_is_accepted_as_people_write_it(world):
    client = client_for(world.key_person)
    url = reverse("programmes:organisation_update", kwargs={"pk": world.mentor.pk})

    form_page = client.get(url).text
    response = client.post(url, {"description": "Fakta", "website": "goteborg.se"})

    assert 'type="url"' not in form_page
    assert 'inputmode="url"' in form_page
    assert response.status_code == 302
    world.mentor.refresh_from_db()
    assert world.mentor.website == "https://goteborg.se"


def test_kolada_id_of_another_organisation_is_refused_in_our_words(world):
    other = world.other_cluster.memberships.first().organisation
    other.kolada_id = "0380"
    other.save()
    organisation = world.benchmarking_organisation

    response = client_for(world.project_manager).post(
        reverse("programmes:organisation_update", kwargs={"pk": organisation.pk}),
        {"name": organisation.name, "kind": organisation.kind, "kolada_id": "0380"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "En annan organisation har redan detta Kolada-id."
    ]
    assert "organisation_kolada_unique" not in response.text
