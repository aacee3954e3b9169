import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from meetings.enums import MeetingKind
from outbox.enums import MailPurpose, MailState
from outbox.models import OutgoingMail
from programmes import services
from programmes.enums import Role
from programmes.models import Assignment, Cluster

from ..factories import OrganisationFactory, ProgrammeFactory, UserFactory, make_cluster


def test_create_cluster_has_one_mentor_and_four_meetings(db):
    programme = ProgrammeFactory()
    mentor, *others = OrganisationFactory.create_batch(4)

    cluster = services.create_cluster(
        programme=programme, name="Mälardalen", mentor=mentor, organisations=others
    )

    assert [m.organisation for m in cluster.memberships.filter(is_mentor=True)] == [mentor]
    assert cluster.memberships.count() == 4
    assert [m.kind for m in cluster.meetings.order_by("sequence")] == list(MeetingKind)


def test_create_cluster_with_organisation_of_another_cluster_is_refused(db):
    programme = ProgrammeFactory()
    existing = make_cluster(programme)
    taken = existing.memberships.last().organisation

    with pytest.raises(ValidationError, match="ingår redan i klustret"):
        services.create_cluster(
            programme=programme,
            name="Ny",
            mentor=OrganisationFactory(),
            organisations=[taken],
        )

    assert Cluster.objects.filter(programme=programme).count() == 1


def test_same_organisation_may_join_clusters_of_different_programmes(db):
    first = make_cluster(ProgrammeFactory())
    organisation = first.memberships.first().organisation

    cluster = services.create_cluster(
        programme=ProgrammeFactory(), name="Andra", mentor=organisation, organisations=[]
    )

    assert cluster.memberships.get().organisation == organisation


def test_invite_person_creates_account_role_and_sends_login_mail(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.invite_person(
            programme=world.programme,
            email="Ny.Person@Kommun.example",
            full_name="Ny Person",
            role=Role.MANAGER,
            organisation=world.mentor,
            invited_by=world.project_manager,
        )

    assert assignment.person.email == "ny.person@kommun.example"
    assert not assignment.person.has_usable_password()
    outgoing = OutgoingMail.objects.get(purpose=MailPurpose.PERSON_INVITATION)
    assert outgoing.state == MailState.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ny.person@kommun.example"]
    assert "/accounts/login/link/" in mail.outbox[0].body


def test_invite_person_of_another_organisation_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.invite_person(
            programme=world.programme,
            email=world.participant.email,
            full_name="x",
            role=Role.KEY_PERSON,
            organisation=world.mentor,
            invited_by=world.project_manager,
        )

    assert "tillhör" in str(error.value)
    assert world.participant.assignments.count() == 1


def test_invite_person_to_organisation_outside_programme_is_refused(world):
    with pytest.raises(ValidationError, match="ingår inte i något kluster"):
        services.invite_person(
            programme=world.programme,
            email="someone@kommun.example",
            full_name="Someone",
            role=Role.KEY_PERSON,
            organisation=OrganisationFactory(),
            invited_by=world.project_manager,
        )


def test_more_than_one_person_may_hold_a_role_with_substitutes(world):
    for number, substitute in enumerate([False, True]):
        services.invite_person(
            programme=world.programme,
            email=f"extra{number}@kommun.example",
            full_name=f"Extra {number}",
            role=Role.KEY_PERSON,
            organisation=world.mentor,
            is_substitute=substitute,
            invited_by=world.project_manager,
        )

    holders = Assignment.objects.active().filter(organisation=world.mentor, role=Role.KEY_PERSON)
    assert sorted(a.is_substitute for a in holders) == [False, False, True]


def test_hand_over_key_person_keeps_history_and_gives_successor_the_role(world):
    old = world.key_person.assignments.get()

    new = services.hand_over_assignment(
        old, email="efterträdare@kommun.example", full_name="Ny Nyckelperson", handed_over_by=None
    )

    old.refresh_from_db()
    assert old.ended_at is not None
    assert old.handed_over_to == new
    assert (new.organisation, new.role, new.ended_at) == (world.mentor, Role.KEY_PERSON, None)
    assert OutgoingMail.objects.filter(recipient=new.person).count() == 1


def test_hand_over_to_same_person_is_refused_and_role_kept(world):
    old = world.key_person.assignments.get()

    with pytest.raises(ValidationError):
        services.hand_over_assignment(
            old, email=world.key_person.email, full_name="x", handed_over_by=None
        )

    old.refresh_from_db()
    assert old.ended_at is None


def test_hand_over_to_person_of_other_organisation_rolls_back(world):
    old = world.key_person.assignments.get()

    with pytest.raises(ValidationError):
        services.hand_over_assignment(
            old, email=world.other_participant.email, full_name="x", handed_over_by=None
        )

    old.refresh_from_db()
    assert old.ended_at is None
    assert old.handed_over_to is None


def test_ended_role_no_longer_gives_access(world):
    from programmes.selectors import visible_clusters

    services.end_assignment(world.participant.assignments.get())

    assert list(visible_clusters(world.participant)) == []


def test_user_of_two_programmes_sees_only_clusters_where_they_take_part(db):
    first, second = ProgrammeFactory(), ProgrammeFactory()
    a = make_cluster(first)
    b = make_cluster(second)
    person = UserFactory()
    Assignment.objects.create(
        programme=first,
        person=person,
        organisation=a.memberships.first().organisation,
        role=Role.KEY_PERSON,
    )
    from programmes.selectors import visible_clusters

    assert list(visible_clusters(person)) == [a]
    assert b not in visible_clusters(person)
