import datetime

import pytest
import time_machine
from django.urls import reverse

from checklists import services as checklist_services
from meetings.models import Meeting
from plans import services
from plans.models import ImprovementAction

from ..checklists.conftest import fill
from ..conftest import client_for

TZ = datetime.UTC


def _plan_url(world, organisation, **query):
    url = reverse(
        "plans:plan",
        kwargs={"programme_pk": world.programme.pk, "organisation_pk": organisation.pk},
    )
    return url + ("?since=last-meeting" if query.get("since") else "")


def test_statement_marked_needs_improvement_becomes_a_linked_action(rounds, world):
    assessment = checklist_services.start_assessment(rounds[0], world.mentor)
    fill(assessment, lambda s: 1)
    answer = assessment.answers.order_by("statement__position").first()
    checklist_services.save_answer(
        assessment, answer.statement, level=1, comment="", needs_improvement=True, user=None
    )
    client = client_for(world.key_person)

    page = client.get(assessment.get_absolute_url()).content.decode()
    create_url = (
        reverse(
            "plans:action_create",
            kwargs={"programme_pk": world.programme.pk, "organisation_pk": world.mentor.pk},
        )
        + f"?statement={answer.statement_id}"
    )
    form = client.get(create_url).content.decode()
    client.post(create_url, {"title": "Förankra målen", "area": "other", "status": "planned"})

    assert page.count("Gör en förbättringsåtgärd av det") == 1
    assert f"?statement={answer.statement_id}" in page
    assert answer.statement.text[:40] in form
    action = ImprovementAction.objects.get()
    assert action.statement == answer.statement
    assert action.area == "checklist"


def test_due_date_before_start_is_refused_and_nothing_saved(world):
    response = client_for(world.key_person).post(
        reverse(
            "plans:action_create",
            kwargs={"programme_pk": world.programme.pk, "organisation_pk": world.mentor.pk},
        ),
        {
            "title": "Utbilda chefer",
            "area": "other",
            "status": "planned",
            "starts_on": "2027-03-01",
            "due_on": "2027-01-01",
        },
    )

    assert response.status_code == 200
    assert not ImprovementAction.objects.exists()


def test_follow_up_sets_the_status_and_shows_on_the_plan(world):
    action = services.create_action(world.programme, world.mentor, user=None, title="Utbilda")
    client = client_for(world.key_person)

    client.post(
        reverse("plans:follow_up_add", kwargs={"pk": action.pk}),
        {
            f"action{action.pk}-note": "Två utbildningar hållna",
            f"action{action.pk}-status": "in_progress",
        },
    )
    page = client.get(_plan_url(world, world.mentor)).content.decode()

    action.refresh_from_db()
    assert action.status == "in_progress"
    assert "Två utbildningar hållna" in page


def test_since_last_meeting_shows_only_what_moved(world):
    meeting = Meeting.objects.filter(cluster=world.cluster).order_by("sequence").first()
    meeting.starts_at = datetime.datetime(2026, 10, 1, 9, 30, tzinfo=TZ)
    meeting.ends_at = datetime.datetime(2026, 10, 1, 16, tzinfo=TZ)
    meeting.save()
    with time_machine.travel(datetime.datetime(2026, 9, 1, tzinfo=TZ), tick=False):
        old = services.create_action(world.programme, world.mentor, user=None, title="Gammal")
        followed = services.create_action(
            world.programme, world.mentor, user=None, title="Följd upp"
        )
    with time_machine.travel(datetime.datetime(2026, 11, 1, tzinfo=TZ), tick=False):
        services.add_follow_up(followed, note="Klar", status="done")
        services.create_action(world.programme, world.mentor, user=None, title="Ny")

    with time_machine.travel(datetime.datetime(2026, 11, 23, tzinfo=TZ), tick=False):
        response = client_for(world.participant).get(_plan_url(world, world.mentor, since=True))

    titles = [a.title for a in response.context["actions"]]
    assert sorted(titles) == ["Följd upp", "Ny"]
    assert old.title not in titles


def test_participant_of_another_organisation_cannot_add_to_the_plan(world):
    action = services.create_action(world.programme, world.mentor, user=None, title="Utbilda")

    response = client_for(world.participant).post(
        reverse("plans:follow_up_add", kwargs={"pk": action.pk}),
        {f"action{action.pk}-note": "Försök", f"action{action.pk}-status": "done"},
    )

    assert response.status_code == 403
    assert not action.follow_ups.exists()


@pytest.mark.parametrize("organisations", [2, 20])
def test_cluster_plans_queries_do_not_grow(db, organisations, django_assert_num_queries):
    from programmes.enums import Role

    from ..factories import AssignmentFactory, ProgrammeFactory, UserFactory, make_cluster

    programme = ProgrammeFactory()
    cluster = make_cluster(programme, organisations=organisations)
    for membership in cluster.memberships.all():
        action = services.create_action(
            programme, membership.organisation, user=None, title="Åtgärd"
        )
        services.add_follow_up(action, note="Uppföljd", status="in_progress")
    manager = UserFactory()
    AssignmentFactory(programme=programme, person=manager, role=Role.PROJECT_MANAGER)

    client = client_for(manager)

    with django_assert_num_queries(9):
        response = client.get(reverse("plans:cluster_plans", kwargs={"pk": cluster.pk}))

    assert len(response.context["plans"]) == organisations


@pytest.mark.parametrize("organisations", [2, 20])
def test_cluster_key_figures_queries_do_not_grow(db, organisations, django_assert_num_queries):
    from decimal import Decimal

    from keyfigures import services as kpi_services
    from programmes.enums import Role

    from ..factories import AssignmentFactory, ProgrammeFactory, UserFactory, make_cluster

    programme = ProgrammeFactory()
    cluster = make_cluster(programme, organisations=organisations)
    for membership in cluster.memberships.all():
        chosen = kpi_services.add_own_kpi(programme, membership.organisation, title="Andel")
        kpi_services.save_year(chosen, year=2025, women=Decimal(60), men=Decimal(40), total=None)
    manager = UserFactory()
    AssignmentFactory(programme=programme, person=manager, role=Role.PROJECT_MANAGER)
    client = client_for(manager)

    with django_assert_num_queries(9):
        response = client.get(reverse("keyfigures:cluster_kpis", kwargs={"pk": cluster.pk}))

    assert len(response.context["kpis"].rows_by_organisation) == organisations


def test_each_action_has_its_own_follow_up_form(world):
    first = services.create_action(world.programme, world.mentor, user=None, title="Ett")
    second = services.create_action(world.programme, world.mentor, user=None, title="Två")

    page = client_for(world.key_person).get(_plan_url(world, world.mentor)).content.decode()

    assert page.count('action="/improvement-actions/') == 2
    assert f'id="id_action{first.pk}-note"' in page
    assert f'id="id_action{second.pk}-note"' in page
    assert "Välj …" in page


def test_due_date_before_start_is_said_on_the_field_not_in_the_databases_words(world):
    action = services.create_action(
        world.programme,
        world.mentor,
        user=None,
        title="Utbilda chefer",
        starts_on=datetime.date(2027, 3, 1),
    )

    response = client_for(world.key_person).post(
        reverse("plans:action_update", kwargs={"pk": action.pk}),
        {
            "title": "Utbilda chefer",
            "area": "other",
            "status": "planned",
            "starts_on": "2027-03-01",
            "due_on": "2027-01-01",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"due_on": ["Slutdatumet ligger före starten."]}
    assert "action_period_valid" not in response.text
    assert "Begränsningen" not in response.text
    action.refresh_from_db()
    assert action.due_on is None


def test_follow_up_form_shows_the_actions_status_so_leaving_it_keeps_it(world):
    action = services.create_action(
        world.programme, world.mentor, user=None, title="Utbilda", status="in_progress"
    )
    client = client_for(world.key_person)

    page = client.get(_plan_url(world, world.mentor)).content.decode()
    select = page.split(f'name="action{action.pk}-status"', 1)[1].split("</select>", 1)[0]
    shown = select.split(" selected>", 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]
    client.post(
        reverse("plans:follow_up_add", kwargs={"pk": action.pk}),
        {f"action{action.pk}-note": "Lägesrapport", f"action{action.pk}-status": shown},
    )

    assert shown == "in_progress"
    action.refresh_from_db()
    assert action.status == "in_progress"
