"""Integrity: what an independent review found, each kept as a regression test."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from checklists import services
from checklists.enums import AssessmentStatus

from ..conftest import client_for
from .conftest import build_workbook, xlsx_upload


def _save_url(assessment, statement):
    return reverse(
        "checklists:answer_save", kwargs={"pk": assessment.pk, "statement": statement.pk}
    )


def _first(assessment):
    return assessment.answers.order_by("statement__position").first()


def test_round_form_cannot_change_the_version_of_a_round_organisations_started(rounds, world):
    # RoundForm is a ModelForm: is_valid() copies the new version onto the instance, so the
    # service compares with the stored value (and the form disables the field).
    baseline, _ = rounds
    services.start_assessment(baseline, world.mentor)
    original_version_id = baseline.version_id
    other = services.import_checklist(
        xlsx_upload(build_workbook([["Mål", "1", "Första"]])), name="Annan"
    )

    client_for(world.project_manager).post(
        reverse("checklists:round_update", kwargs={"round_pk": baseline.pk}),
        {"name": baseline.name, "due_on": "2026-09-15", "version": other.pk},
    )

    baseline.refresh_from_db()
    assert baseline.version_id == original_version_id


def test_offline_workbook_does_not_overwrite_an_answer_saved_online_meanwhile(rounds, world):
    assessment = services.start_assessment(rounds[0], world.mentor)
    client = client_for(world.key_person)
    downloaded = client.get(reverse("checklists:assessment_xlsx", kwargs={"pk": assessment.pk}))
    answer = _first(assessment)
    # After the download, a colleague answers statement 1 online ...
    client.post(_save_url(assessment, answer.statement), {"level": "3", "comment": "Beslutat"})
    # ... and the key person uploads the workbook with only another row filled in.
    workbook = load_workbook(BytesIO(downloaded.content))
    workbook.worksheets[0].cell(row=3, column=7).value = 1
    buffer = BytesIO()
    workbook.save(buffer)

    client.post(
        reverse("checklists:assessment_upload", kwargs={"pk": assessment.pk}),
        {"file": xlsx_upload(buffer.getvalue(), "ifylld.xlsx")},
    )

    answer.refresh_from_db()
    assert (answer.level, answer.comment) == (3, "Beslutat")


def test_control_character_in_a_comment_does_not_break_the_workbook(rounds, world):
    assessment = services.start_assessment(rounds[0], world.mentor)
    client = client_for(world.key_person)
    client.raise_request_exception = False
    answer = _first(assessment)
    # Accepted by the form (only NUL is refused); e.g. a line break pasted from Word.
    client.post(
        _save_url(assessment, answer.statement), {"level": "1", "comment": "rad ett\x0brad två"}
    )
    answer.refresh_from_db()
    assert answer.comment == "rad ett\x0brad två"

    response = client.get(reverse("checklists:assessment_xlsx", kwargs={"pk": assessment.pk}))

    assert response.status_code == 200


def test_level_outside_a_new_versions_scale_is_not_carried_over(rounds, world):
    baseline, follow_up = rounds
    first = services.start_assessment(baseline, world.mentor)
    for answer in first.answers.select_related("statement"):
        services.save_answer(
            first, answer.statement, level=0, comment="Kvar", needs_improvement=False, user=None
        )
    services.submit_assessment(first, user=None)
    # The same statements, but the new version's scale runs 1-4.
    rows = [
        [a.statement.section.title, a.statement.number, a.statement.text, "", "", ""]
        for a in first.answers.select_related("statement__section").order_by("statement__position")
    ]
    scale = [["Värde", "Nivå"], [1, "Ett"], [2, "Två"], [3, "Tre"], [4, "Fyra"]]
    new_version = services.import_checklist(
        xlsx_upload(build_workbook(rows, scale=scale)), name="Skala 1-4"
    )
    follow_up.version = new_version
    follow_up.save()

    second = services.start_assessment(follow_up, world.mentor)

    assert set(second.answers.values_list("level", "comment")) == {(None, "Kvar")}
    with pytest.raises(ValidationError):
        services.submit_assessment(second, user=None, confirm_carried=True)
    second.refresh_from_db()
    assert second.status == AssessmentStatus.DRAFT


def test_submit_refuses_a_level_outside_the_scale(rounds, world):
    assessment = services.start_assessment(rounds[0], world.mentor)
    assessment.answers.update(level=3)
    assessment.answers.filter(pk=_first(assessment).pk).update(level=9)

    with pytest.raises(ValidationError):
        services.submit_assessment(assessment, user=None)


def test_previous_round_is_the_last_submitted_one_not_a_draft(rounds, world):
    import datetime

    from checklists.models import AssessmentRound

    baseline, follow_up = rounds
    final = AssessmentRound.objects.create(
        programme=world.programme,
        version=baseline.version,
        name="Slutbedömning",
        due_on=datetime.date(2027, 6, 1),
    )
    submitted = services.start_assessment(baseline, world.mentor)
    for answer in submitted.answers.select_related("statement"):
        services.save_answer(
            submitted, answer.statement, level=2, comment="", needs_improvement=False, user=None
        )
    services.submit_assessment(submitted, user=None)
    # The follow-up was started, half-edited and never submitted.
    draft = services.start_assessment(follow_up, world.mentor)
    services.save_answer(
        draft, _first(draft).statement, level=0, comment="", needs_improvement=False, user=None
    )

    third = services.start_assessment(final, world.mentor)

    # The page labels these levels "Previous round"; the results compare with the baseline.
    assert third.prefilled_from_id == submitted.pk


def test_offline_workbook_refuses_an_answer_changed_in_both_places(rounds, world):
    assessment = services.start_assessment(rounds[0], world.mentor)
    client = client_for(world.key_person)
    downloaded = client.get(reverse("checklists:assessment_xlsx", kwargs={"pk": assessment.pk}))
    answer = _first(assessment)
    client.post(_save_url(assessment, answer.statement), {"level": "3"})
    workbook = load_workbook(BytesIO(downloaded.content))
    workbook.worksheets[0].cell(row=2, column=7).value = 1
    workbook.worksheets[0].cell(row=3, column=7).value = 2
    buffer = BytesIO()
    workbook.save(buffer)

    response = client.post(
        reverse("checklists:assessment_upload", kwargs={"pk": assessment.pk}),
        {"file": xlsx_upload(buffer.getvalue(), "ifylld.xlsx")},
    )

    html = response.content.decode()
    assert "Påstående 1.1 (rad 2) ändrades på sidan efter att arbetsboken laddades ner." in html
    assert "Inget från filen sparades." in html
    assert list(
        assessment.answers.order_by("statement__position").values_list("level", flat=True)[:2]
    ) == [3, None]
