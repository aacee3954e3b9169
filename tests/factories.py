import datetime

import factory
from django.contrib.auth import get_user_model

from programmes import services
from programmes.enums import OrganisationKind, Role
from programmes.models import Assignment, Organisation, Programme

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@kommun.example")
    full_name = factory.Faker("name", locale="sv_SE")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Benchmarking {n}")
    starts_on = datetime.date(2026, 9, 1)
    ends_on = datetime.date(2027, 6, 30)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Kommun {n}")
    kind = OrganisationKind.MUNICIPALITY
    kolada_id = factory.Sequence(lambda n: f"{(n % 9000) + 1000:04d}")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    programme = factory.SubFactory(ProgrammeFactory)
    person = factory.SubFactory(UserFactory)
    role = Role.KEY_PERSON


def make_cluster(programme, *, organisations: int = 3, name=None, people: bool = False):
    """A cluster made the way the product makes it: a mentor, the others, four meetings.

    With ``people`` each organisation gets a key person, an elected official and a manager.
    """
    orgs = OrganisationFactory.create_batch(organisations)
    cluster = services.create_cluster(
        programme=programme,
        name=name or f"Cluster {orgs[0].pk}",
        mentor=orgs[0],
        organisations=orgs[1:],
    )
    if people:
        for org in orgs:
            for role in (Role.KEY_PERSON, Role.ELECTED_OFFICIAL, Role.MANAGER):
                AssignmentFactory(programme=programme, organisation=org, role=role)
    return cluster
