import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse

from checklists import services as checklist_services
from meetings.enums import Attendance
from meetings.models import ChecklistTask, Registration
from outbox.models import OutgoingMail
from plans import services as plan_services
from programmes.enums import Role

from ..checklists.conftest import fill
from ..conftest import client_for, convert_with_libreoffice
from ..factories import AssignmentFactory, ProgrammeFactory, UserFactory, make_cluster

TZ = datetime.UTC


def _url(programme, **query):
    url = reverse("programmes:programme_overview", kwargs={"pk": programme.pk})
    return url + (f"?status={query['status']}" if query else "")


def _date(meeting, day):
    meeting.starts_at = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=TZ)
    meeting.ends_at = datetime.datetime.combine(day, datetime.time(16), tzinfo=TZ)
    meeting.save()


@pytest.fixture
def overview_world(world, rounds):
    meetings = list(world.cluster.meetings.order_by("sequence"))
    _date(meetings[0], datetime.date(2026, 10, 1))  # held, evaluation sent
    _date(meetings[1], datetime.date(2026, 12, 1))  # invited
    _date(meetings[2], datetime.date(2027, 2, 1))  # planned
    registration = Registration.objects.create(
        meeting=meetings[0],
        person=world.participant,
        organisation=world.benchmarking_organisation,
        attendance=Attendance.IN_PERSON,
        answered_at=datetime.datetime(2026, 9, 20, tzinfo=TZ),
        evaluation_sent_at=datetime.datetime(2026, 10, 2, tzinfo=TZ),
    )
    Registration.objects.create(meeting=meetings[0], person=world.key_person)
    OutgoingMail.objects.create(
        purpose="meeting_invitation",
        to_email="x@kommun.example",
        subject="Inbjudan",
        body_text="Hej",
        meeting=meetings[1],
    )
    assessment = checklist_services.start_assessment(rounds[0], world.mentor)
    fill(assessment, lambda s: 2)
    checklist_services.submit_assessment(assessment, user=None)
    plan_services.create_action(world.programme, world.mentor, user=None, title="A")
    plan_services.create_action(world.programme, world.mentor, user=None, title="B", status="done")
    return meetings, registration


def test_overview_shows_each_clusters_meetings_assessments_and_actions(overview_world, world):
    with time_machine.travel(datetime.datetime(2026, 11, 23, tzinfo=TZ), tick=False):
        response = client_for(world.project_manager).get(_url(world.programme))

    overview = response.context["overview"]
    row = next(r for r in overview.clusters if r.cluster == world.cluster)
    assert [c.status for c in row.meetings] == ["evaluated", "invited", "planned", "not_planned"]
    assert (row.meetings[0].answered, row.meetings[0].invited, row.meetings[0].attending) == (
        1,
        2,
        1,
    )
    assert row.meetings[0].response_rate == 0
    assert [(r.name, n) for r, n in row.assessments] == [
        ("Nulägesbedömning", 1),
        ("Uppföljning", 0),
    ]
    assert dict(row.actions)["Planerad"] == 1
    assert dict(row.actions)["Klart"] == 1
    html = response.content.decode()
    assert "Utvärderad" in html and "Inbjuden" in html
    with time_machine.travel(NOW, tick=False):
        tasks = ChecklistTask.objects.filter(meeting__cluster=world.cluster)
        expected = sum(task.is_overdue for task in tasks)
    assert 0 < row.overdue_tasks == expected


def test_filter_by_status_keeps_matching_clusters(overview_world, world):
    with time_machine.travel(datetime.datetime(2026, 11, 23, tzinfo=TZ), tick=False):
        response = client_for(world.project_manager).get(_url(world.programme, status="invited"))

    assert [r.cluster for r in response.context["overview"].clusters] == [world.cluster]


@pytest.mark.parametrize("clusters", [2, 20])
def test_overview_queries_do_not_grow_with_clusters(db, clusters, django_assert_num_queries):
    programme = ProgrammeFactory()
    for _ in range(clusters):
        cluster = make_cluster(programme, organisations=3)
        for membership in cluster.memberships.all():
            plan_services.create_action(programme, membership.organisation, user=None, title="A")
    manager = UserFactory()
    AssignmentFactory(programme=programme, person=manager, role=Role.PROJECT_MANAGER)
    client = client_for(manager)

    with django_assert_num_queries(15):
        response = client.get(_url(programme))

    assert len(response.context["overview"].clusters) == clusters


NOW = datetime.datetime(2026, 11, 23, tzinfo=TZ)


def _rate(registration, **ratings):
    from meetings.models import EvaluationAnswer

    return EvaluationAnswer.objects.create(registration=registration, ratings=ratings)


def test_mean_rating_per_meeting_cluster_and_programme(overview_world, world):
    meetings, registration = overview_world
    _rate(registration, content=4, organisation=5, learning=5, useful=3)
    with time_machine.travel(NOW, tick=False):
        response = client_for(world.project_manager).get(_url(world.programme))

    overview = response.context["overview"]
    row = next(r for r in overview.clusters if r.cluster == world.cluster)
    assert row.meetings[0].mean_rating == 4.3  # 17 / 4 = 4.25, shown to one decimal
    assert row.meetings[1].mean_rating is None
    assert row.mean_rating == 4.3
    assert overview.totals["mean_rating"] == 4.3
    assert overview.totals["response_rate"] == 100
    assert "4,3" in response.content.decode()


def test_timeline_lists_dated_meetings_by_month_and_undated_apart(overview_world, world):
    with time_machine.travel(NOW, tick=False):
        response = client_for(world.project_manager).get(
            reverse("programmes:programme_timeline", kwargs={"pk": world.programme.pk})
        )

    overview = response.context["overview"]
    months = [(month, [cell.meeting.kind for cell in cells]) for month, cells in overview.timeline]
    assert months == [
        (datetime.date(2026, 10, 1), ["startup"]),
        (datetime.date(2026, 12, 1), ["benchmarking_1"]),
        (datetime.date(2027, 2, 1), ["benchmarking_2"]),
    ]
    undated = {(cell.meeting.cluster, cell.meeting.kind) for cell in overview.undated}
    assert (world.cluster, "benchmarking_3") in undated
    html = response.content.decode()
    assert "Oktober 2026" in html and "December 2026" in html
    assert 'aria-current="page"' in html


def _sheet_rows(content, index=0):
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(content))
    sheet = workbook.worksheets[index]
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def test_overview_excel_has_a_row_per_meeting_and_a_row_per_cluster(overview_world, world):
    meetings, registration = overview_world
    _rate(registration, content=4, organisation=4)
    world.cluster.name = '=HYPERLINK("http://x")'
    world.cluster.save()
    with time_machine.travel(NOW, tick=False):
        response = client_for(world.project_manager).get(
            reverse("programmes:programme_overview_xlsx", kwargs={"pk": world.programme.pk})
            + "?status=evaluated"
        )

    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet, rows = _sheet_rows(response.content)
    assert rows[0][:5] == ["Kluster", "Träff", "Datum", "Värd", "Status"]
    startup = rows[1]
    assert startup[0] == '=HYPERLINK("http://x")'
    assert sheet["A2"].data_type == "s"  # text, never a formula
    assert startup[1:2] == ["Uppstartsträff"]
    assert startup[2] == datetime.datetime(2026, 10, 1, 11, 30)  # Swedish summer time
    assert startup[4:] == ["Utvärderad", 2, 1, 1, 1, 1, 100, 4]
    assert len(rows) == 1 + 4  # the filter keeps only the cluster with an evaluated meeting
    _sheet, clusters = _sheet_rows(response.content, 1)
    assert clusters[0][:3] == ["Kluster", "Organisationer", "Försenade uppgifter för arrangören"]
    assert clusters[1][2:5] == [clusters[1][2], 1, 0]


def test_participant_excel_lists_roles_and_answers_without_special_needs(overview_world, world):
    meetings, registration = overview_world
    registration.diet_other = "Ingen koriander"
    registration.save()
    response = client_for(world.project_manager).get(
        reverse("programmes:programme_participants_xlsx", kwargs={"pk": world.programme.pk})
    )

    _sheet, rows = _sheet_rows(response.content)
    header = rows[0]
    assert header[:6] == ["Kluster", "Organisation", "Mentororganisation", "Namn", "E-post", "Roll"]
    by_email = {row[4]: row for row in rows[1:]}
    participant = by_email[world.participant.email]
    key_person = by_email[world.key_person.email]
    assert participant[6:8] == ["På plats", None]  # not invited to the second yet
    assert key_person[6] == "Inget svar ännu"
    assert "Nyckelperson" in key_person[5]
    assert world.project_manager.email not in by_email
    assert not any("koriander" in str(cell) for row in rows for cell in row)


def test_programme_report_pdf_covers_every_cluster(overview_world, world):
    from io import BytesIO

    from pypdf import PdfReader

    meetings, registration = overview_world
    _rate(registration, content=5, organisation=4)
    with time_machine.travel(NOW, tick=False):
        response = client_for(world.project_manager).get(
            reverse("programmes:programme_report_pdf", kwargs={"pk": world.programme.pk})
        )

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Programrapport" in text
    assert world.cluster.name in text and world.other_cluster.name in text
    assert "Nulägesbedömning" in text
    assert "4,5" in text and "2,0" in text  # means keep their decimal


@pytest.mark.parametrize("clusters", [2, 20])
def test_exports_queries_do_not_grow_with_clusters(db, clusters, django_assert_max_num_queries):
    programme = ProgrammeFactory()
    for _ in range(clusters):
        make_cluster(programme, organisations=3)
    manager = UserFactory()
    AssignmentFactory(programme=programme, person=manager, role=Role.PROJECT_MANAGER)
    client = client_for(manager)

    for name, most in [
        ("programme_overview_xlsx", 15),
        ("programme_participants_xlsx", 12),
        ("programme_timeline", 15),
    ]:
        with django_assert_max_num_queries(most):
            response = client.get(reverse(f"programmes:{name}", kwargs={"pk": programme.pk}))
        assert response.status_code == 200, name


def test_exports_open_in_libreoffice(overview_world, world, tmp_path):
    client = client_for(world.project_manager)
    files = {
        f"{name}.xlsx": client.get(
            reverse(f"programmes:{name}", kwargs={"pk": world.programme.pk})
        ).content
        for name in ("programme_overview_xlsx", "programme_participants_xlsx")
    }

    pdfs = convert_with_libreoffice(tmp_path, files)

    assert all(pdf.startswith(b"%PDF") for pdf in pdfs.values())


def test_an_answer_keeps_the_sum_and_number_of_its_valid_ratings(overview_world):
    _meetings, registration = overview_world

    answer = _rate(registration, a=5, b="5", c=9, d=2, e=True)

    assert (answer.rating_total, answer.rating_count) == (7, 2)


def test_timeline_filtered_by_status_lists_only_such_meetings(overview_world, world):
    with time_machine.travel(NOW, tick=False):
        response = client_for(world.project_manager).get(
            reverse("programmes:programme_timeline", kwargs={"pk": world.programme.pk})
            + "?status=invited"
        )

    overview = response.context["overview"]
    shown = [cell.status for _month, cells in overview.timeline for cell in cells]
    assert shown == ["invited"]
    assert overview.undated == []


def test_report_covers_the_whole_programme_and_excel_names_its_filter(overview_world, world):
    from io import BytesIO

    from pypdf import PdfReader

    client = client_for(world.project_manager)
    with time_machine.travel(NOW, tick=False):
        pdf = client.get(
            reverse("programmes:programme_report_pdf", kwargs={"pk": world.programme.pk})
            + "?status=invited"
        )
        xlsx = client.get(
            reverse("programmes:programme_overview_xlsx", kwargs={"pk": world.programme.pk})
            + "?status=invited"
        )

    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert world.other_cluster.name in text  # no meeting of it is invited: still in the report
    assert xlsx["Content-Disposition"].endswith('-inbjuden.xlsx"')


def test_participant_list_leaves_out_deactivated_people(overview_world, world):
    participant = world.participant
    participant.is_active = False
    participant.save()

    response = client_for(world.project_manager).get(
        reverse("programmes:programme_participants_xlsx", kwargs={"pk": world.programme.pk})
    )

    _sheet, rows = _sheet_rows(response.content)
    assert participant.email not in {row[4] for row in rows}


def test_response_rate_rounds_half_up():
    from programmes.overview import MeetingCell

    assert (
        MeetingCell(meeting=None, status="held", evaluations_sent=8, evaluations=1).response_rate
        == 13
    )


def test_report_round_mean_is_rounded_once():

    from benchmarking.numbers import mean_of
    from programmes.documents.report import _exact

    scores = [SimpleNamespace(level_sum=9, answered=4), SimpleNamespace(level_sum=47, answered=20)]
    exact = [_exact(score) for score in scores]  # 2.25 and 2.35

    assert mean_of([*exact, None]) == 2.3  # not the mean of 2.3 and 2.4 shown for each


@pytest.mark.parametrize(
    "name", ["programme_overview", "programme_timeline", "programme_overview_xlsx"]
)
def test_an_unknown_status_in_the_address_shows_everything(overview_world, world, name):
    response = client_for(world.project_manager).get(
        reverse(f"programmes:{name}", kwargs={"pk": world.programme.pk}) + "?status=<b>x</b>"
    )

    assert response.status_code == 200
    if name.endswith("xlsx"):
        _sheet, rows = _sheet_rows(response.content)
        assert {row[0] for row in rows[1:]} == {world.cluster.name, world.other_cluster.name}
    else:
        assert len(response.context["overview"].clusters) == 2
