from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from checklists import services
from checklists.enums import AssessmentStatus
from checklists.models import AssessmentRound, ChecklistVersion

from ..conftest import client_for
from .conftest import build_workbook, example_upload, fill, submitted, xlsx_upload


@pytest.fixture
def assessment(rounds, world):
    return services.start_assessment(rounds[0], world.mentor, user=world.key_person)


def _save_url(assessment, statement):
    return reverse(
        "checklists:answer_save", kwargs={"pk": assessment.pk, "statement": statement.pk}
    )


def _first(assessment):
    return assessment.answers.order_by("statement__position").first()


def test_project_manager_imports_a_checklist_in_the_browser(world):
    client = client_for(world.project_manager)

    response = client.post(
        reverse("checklists:version_upload"), {"file": example_upload(), "name": "Checklista 2026"}
    )

    version = ChecklistVersion.objects.get()
    assert response.status_code == 302
    assert response.url == version.get_absolute_url()
    assert version.statements.count() == 26
    assert version.imported_by == world.project_manager


def test_bad_checklist_upload_shows_where_in_swedish_and_keeps_the_name(world):
    client = client_for(world.project_manager)
    content = build_workbook([["Mål", "1", "Första"]], scale=[["Värde", "Nivå"], ["x", "A"]])

    response = client.post(
        reverse("checklists:version_upload"),
        {"file": xlsx_upload(content), "name": "Mitt namn"},
    )

    assert response.status_code == 200
    assert "Bladet ”Skala”, rad 2, kolumn A (Värde): ”x” är inte ett heltal." in (
        response.content.decode()
    )
    assert 'value="Mitt namn"' in response.content.decode()
    assert not ChecklistVersion.objects.exists()


def test_project_manager_creates_a_round(world, version):
    client = client_for(world.project_manager)

    response = client.post(
        reverse("checklists:round_create", kwargs={"pk": world.programme.pk}),
        {"name": "Nulägesbedömning", "due_on": "2026-09-20", "version": version.pk},
    )

    assert response.status_code == 302
    assert AssessmentRound.objects.get().name == "Nulägesbedömning"


def test_key_person_starts_a_round_from_the_start_page(rounds, world):
    client = client_for(world.key_person)
    url = reverse(
        "checklists:round_organisation",
        kwargs={"round_pk": rounds[0].pk, "organisation_pk": world.mentor.pk},
    )

    page = client.get(url)
    response = client.post(
        reverse(
            "checklists:assessment_start",
            kwargs={"round_pk": rounds[0].pk, "organisation_pk": world.mentor.pk},
        )
    )

    assert "Påbörja självskattningen" in page.content.decode()
    assessment = rounds[0].assessments.get()
    assert response.url == assessment.get_absolute_url()
    assert client.get(url).url == assessment.get_absolute_url()


def test_autosave_saves_one_statement_and_answers_with_status_and_progress(assessment, world):
    client = client_for(world.key_person)
    answer = _first(assessment)

    response = client.post(
        _save_url(assessment, answer.statement),
        {"level": "2", "comment": "Beslutat i KF", "needs_improvement": "on"},
        headers={"HX-Request": "true"},
    )

    answer.refresh_from_db()
    assert (answer.level, answer.comment, answer.needs_improvement) == (2, "Beslutat i KF", True)
    assert answer.updated_by == world.key_person
    html = response.content.decode()
    assert f'id="status-{answer.statement_id}"' in html
    assert "Sparad" in html
    assert 'id="assessment-progress" class="assessment-progress mb-3" hx-swap-oob="true"' in html
    assert "1 av 26 påståenden besvarade" in html


def test_autosave_of_an_invalid_level_says_so_and_keeps_the_saved_answer(assessment, world):
    client = client_for(world.key_person)
    answer = _first(assessment)
    services.save_answer(
        assessment, answer.statement, level=1, comment="Före", needs_improvement=False, user=None
    )

    response = client.post(
        _save_url(assessment, answer.statement),
        {"level": "7", "comment": "Efter"},
        headers={"HX-Request": "true"},
    )

    answer.refresh_from_db()
    assert (answer.level, answer.comment) == (1, "Före")
    assert "Inte sparad" in response.content.decode()


def test_too_long_comment_is_refused_with_a_message(assessment, world):
    client = client_for(world.key_person)
    answer = _first(assessment)

    response = client.post(
        _save_url(assessment, answer.statement),
        {"level": "1", "comment": "x" * 2001},
        headers={"HX-Request": "true"},
    )

    answer.refresh_from_db()
    assert answer.level is None
    assert "Inte sparad: Säkerställ att detta värde har som mest 2000 tecken (den har 2001)." in (
        response.content.decode()
    )


def test_save_without_javascript_redirects_back_to_the_statement(assessment, world):
    client = client_for(world.key_person)
    answer = _first(assessment)

    response = client.post(_save_url(assessment, answer.statement), {"level": "3"})

    assert response.url == f"{assessment.get_absolute_url()}#statement-{answer.statement_id}"
    answer.refresh_from_db()
    assert answer.level == 3


def test_background_save_after_the_session_ended_answers_401(assessment, world):
    answer = _first(assessment)

    response = client_for(None).post(
        _save_url(assessment, answer.statement), {"level": "3"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 401
    answer.refresh_from_db()
    assert answer.level is None


def test_statement_of_another_version_cannot_be_saved(assessment, world):
    other = services.import_checklist(
        xlsx_upload(build_workbook([["Mål", "1", "Första"]])), name="Annan"
    )

    response = client_for(world.key_person).post(
        _save_url(assessment, other.statements.get()), {"level": "1"}
    )

    assert response.status_code == 404


def test_elected_official_of_the_same_organisation_contributes(assessment, world):
    from programmes.enums import Role

    from ..factories import AssignmentFactory

    official = AssignmentFactory(
        programme=world.programme, organisation=world.mentor, role=Role.ELECTED_OFFICIAL
    ).person
    answer = _first(assessment)

    client_for(official).post(_save_url(assessment, answer.statement), {"level": "2"})
    response = client_for(official).post(
        reverse("checklists:assessment_submit", kwargs={"pk": assessment.pk})
    )

    answer.refresh_from_db()
    assert answer.level == 2
    assert response.status_code == 403


def test_key_person_submits_and_the_page_becomes_read_only(assessment, world):
    fill(assessment, lambda s: 2)
    client = client_for(world.key_person)

    client.post(reverse("checklists:assessment_submit", kwargs={"pk": assessment.pk}))
    page = client.get(assessment.get_absolute_url()).content.decode()

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert "hx-post" not in page
    assert "Öppna för ändringar" in page
    assert "2 – Delvis genomfört" in page


def test_submit_with_missing_levels_explains_and_stays_draft(assessment, world):
    client = client_for(world.key_person)

    response = client.post(
        reverse("checklists:assessment_submit", kwargs={"pk": assessment.pk}), follow=True
    )

    assert "26 påståenden saknar nivå" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_follow_up_page_shows_previous_levels_and_carried_badges(rounds, world):
    submitted(services.start_assessment(rounds[0], world.mentor), lambda s: 1)
    follow_up = services.start_assessment(rounds[1], world.mentor)

    page = client_for(world.key_person).get(follow_up.get_absolute_url()).content.decode()

    assert page.count("Föregående omgång: 1 – Påbörjat") == 26
    assert page.count("Överförd – kontrollera") == 26
    assert page.count("Stämmer fortfarande<span") == 26
    assert "0 av 26 påståenden besvarade i den här omgången" in page
    assert "26 överförda från förra omgången och ännu inte granskade" in page
    assert page.count('name="confirm_carried"') == 2


def test_still_holds_confirms_a_carried_answer_and_updates_the_area_mean(rounds, world):
    submitted(services.start_assessment(rounds[0], world.mentor), lambda s: 1)
    follow_up = services.start_assessment(rounds[1], world.mentor)
    answer = _first(follow_up)

    response = client_for(world.key_person).post(
        _save_url(follow_up, answer.statement),
        {"level": "1", "comment": ""},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    answer.refresh_from_db()
    assert (answer.level, answer.carried_over) == (1, False)
    assert f'<span id="carried-{answer.statement_id}" hx-swap-oob="true"></span>' in html
    assert f'id="section-mean-{answer.statement.section_id}" hx-swap-oob="true"' in html
    assert "medel 1,0" in html
    assert "1 av 26 påståenden besvarade i den här omgången" in html


# --- offline workbook ------------------------------------------------------------------------


def _download(client, assessment):
    response = client.get(reverse("checklists:assessment_xlsx", kwargs={"pk": assessment.pk}))
    return load_workbook(BytesIO(response.content))


def _upload(client, workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return client.post(
        reverse("checklists:assessment_upload", kwargs={"pk": _upload.assessment.pk}),
        {"file": xlsx_upload(buffer.getvalue(), "ifylld.xlsx")},
    )


def test_offline_workbook_round_trip_saves_every_answer(assessment, world):
    client = client_for(world.key_person)
    workbook = _download(client, assessment)
    sheet = workbook["Självskattning"]
    assert [c.value for c in sheet[1]][:7] == [
        "ID",
        "Område",
        "Nr",
        "Påstående",
        "Vägledning",
        "Föregående nivå",
        "Nivå",
    ]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=7).value = 3 if row % 2 else 1
    sheet.cell(row=2, column=8).value = "ja"
    comment = sheet.cell(row=2, column=9)
    comment.value = '=HYPERLINK("http://x")'
    comment.data_type = "s"  # typed as text, as the downloaded workbook's cells are
    _upload.assessment = assessment

    response = _upload(client, workbook)

    assert response.status_code == 302
    answers = list(assessment.answers.order_by("statement__position"))
    assert [a.level for a in answers[:3]] == [1, 3, 1]
    assert answers[0].needs_improvement is True
    assert answers[0].comment == '=HYPERLINK("http://x")'
    assert not assessment.answers.filter(level__isnull=True).exists()


def test_offline_workbook_with_a_wrong_cell_saves_nothing_and_names_the_cell(assessment, world):
    client = client_for(world.key_person)
    workbook = _download(client, assessment)
    sheet = workbook["Självskattning"]
    sheet.cell(row=2, column=7).value = 2
    sheet.cell(row=5, column=7).value = 9
    sheet.cell(row=6, column=8).value = "kanske"
    _upload.assessment = assessment

    response = _upload(client, workbook)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Bladet ”Självskattning”, cell G5: ”9” är inte en nivå på skalan (0, 1, 2, 3)." in html
    assert "Bladet ”Självskattning”, cell H6: skriv ”ja” eller ”nej” (stod ”kanske”)." in html
    assert "Inget från filen sparades." in html
    assert not assessment.answers.filter(level__isnull=False).exists()


def test_level_names_are_accepted_in_the_offline_workbook(assessment, world):
    client = client_for(world.key_person)
    workbook = _download(client, assessment)
    workbook["Självskattning"].cell(row=2, column=7).value = "Delvis genomfört"
    _upload.assessment = assessment

    _upload(client, workbook)

    assert _first(assessment).level == 2


def test_workbook_of_another_organisation_is_refused(rounds, assessment, world):
    other = services.start_assessment(rounds[0], world.benchmarking_organisation)
    client = client_for(world.key_person)
    workbook = _download(client_for(world.project_manager), other)
    _upload.assessment = assessment

    response = _upload(client, workbook)

    assert "tillhör en annan organisations" in response.content.decode()
    assert not assessment.answers.filter(level__isnull=False).exists()


def test_renamed_answer_sheet_is_named_in_the_message(assessment, world):
    client = client_for(world.key_person)
    workbook = _download(client, assessment)
    workbook["Självskattning"].title = "Blad1"
    _upload.assessment = assessment

    response = _upload(client, workbook)

    assert "Bladet ”Självskattning” med svaren saknas" in response.content.decode()


def test_plain_workbook_is_refused_as_not_ours(assessment, world):
    client = client_for(world.key_person)
    _upload.assessment = assessment

    response = client.post(
        reverse("checklists:assessment_upload", kwargs={"pk": assessment.pk}),
        {"file": example_upload()},
    )

    assert "inte en självskattningsfil från Jämbench" in response.content.decode()


def test_submitted_assessment_cannot_be_uploaded_into(assessment, world):
    fill(assessment, lambda s: 1)
    services.submit_assessment(assessment, user=world.key_person)
    client = client_for(world.key_person)
    workbook = _download(client, assessment)
    workbook["Självskattning"].cell(row=2, column=7).value = 3
    _upload.assessment = assessment

    response = _upload(client, workbook)

    assert "har lämnats in" in response.content.decode()
    assert _first(assessment).level == 1


# --- results pages ---------------------------------------------------------------------------


def test_cluster_results_show_organisations_side_by_side_with_a_chart(rounds, world):
    for organisation, level in ((world.mentor, 3), (world.benchmarking_organisation, 1)):
        services.submit_assessment(
            fill(services.start_assessment(rounds[0], organisation), lambda s, v=level: v),
            user=None,
        )

    response = client_for(world.participant).get(
        reverse("checklists:cluster_results", kwargs={"pk": world.cluster.pk})
    )

    html = response.content.decode()
    results = response.context["results"]
    assert [c.organisation for c in results.columns] == [
        world.mentor,
        world.benchmarking_organisation,
    ]
    assert [s.mean for s in results.overall] == [3.0, 1.0]
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert 'role="img"' in html
    assert 'aria-describedby="cluster-table"' in html


def test_organisation_results_show_movement(rounds, world):
    for round_, level in zip(rounds, (1, 2), strict=True):
        services.submit_assessment(
            fill(services.start_assessment(round_, world.mentor), lambda s, v=level: v),
            user=None,
        )

    response = client_for(world.participant).get(
        reverse(
            "checklists:organisation_results",
            kwargs={"programme_pk": world.programme.pk, "organisation_pk": world.mentor.pk},
        )
    )

    assert response.context["results"].overall_movement == 1.0
    assert '<span class="movement-up">+1,0' in response.content.decode()


def test_cluster_peers_see_a_draft_only_as_in_progress(assessment, world):
    url = reverse(
        "checklists:round_organisation",
        kwargs={"round_pk": assessment.round_id, "organisation_pk": world.mentor.pk},
    )

    page = client_for(world.participant).get(url)
    detail = client_for(world.participant).get(assessment.get_absolute_url())

    assert page.status_code == 200
    assert "arbetar med den här självskattningen" in page.content.decode()
    assert detail.status_code == 403


def test_cluster_peers_see_a_submitted_self_assessment(assessment, world):
    submitted(assessment, lambda s: 2)

    response = client_for(world.participant).get(assessment.get_absolute_url())

    assert response.status_code == 200
    assert "2 – Delvis genomfört" in response.content.decode()


def _controls(html: str) -> set[str]:
    """Every input and textarea tag, attributes sorted, so two renderings compare."""
    import re

    tags = re.findall(r"<(?:input|textarea)\b[^>]*>", html)
    return {" ".join(sorted(re.findall(r'[\w-]+(?:="[^"]*")?', tag))) for tag in tags}


def test_page_writes_the_same_inputs_as_the_answer_form(assessment, world):
    """The page writes each statement's inputs by hand (for speed); AnswerForm validates
    them: the two must stay in step."""
    from checklists.forms import AnswerForm
    from checklists.selectors import assessment_page

    fill(assessment, lambda s: 2 if s.position % 2 else None)
    answer = assessment.answers.filter(level=2).select_related("statement").first()
    answer.comment = 'Kommentar <b>&"\nrad två'
    answer.needs_improvement = True
    answer.save()
    html = client_for(world.key_person).get(assessment.get_absolute_url()).content.decode()
    page = assessment_page(assessment)

    for statement, initial in [
        (answer.statement, {"level": 2, "comment": answer.comment, "needs_improvement": True}),
        (
            assessment.answers.filter(level__isnull=True).first().statement,
            {"level": None, "comment": "", "needs_improvement": False},
        ),
    ]:
        form = AnswerForm(initial=initial, levels=page.levels, statement=statement)
        expected = _controls(str(form["level"]) + str(form["needs_improvement"]))
        expected |= _controls(str(form["comment"]))
        assert expected <= _controls(html), statement
        assert str(form["comment"]).split(">", 1)[1] in html  # the text inside the textarea
