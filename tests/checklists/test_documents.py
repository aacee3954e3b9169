from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from checklists import services

from ..conftest import client_for, convert_with_libreoffice
from .conftest import fill


@pytest.fixture
def two_rounds_submitted(rounds, world):
    """The mentor answered 1 everywhere, then 2; statement 1.1 carries a comment and a flag."""
    baseline, follow_up = rounds
    for round_, level in ((baseline, 1), (follow_up, 2)):
        assessment = fill(services.start_assessment(round_, world.mentor), lambda s, v=level: v)
        first = assessment.answers.order_by("statement__position").first()
        services.save_answer(
            assessment,
            first.statement,
            level=level,
            comment="=SUM(A1:A9) är inte en formel",
            needs_improvement=True,
            user=None,
        )
        services.submit_assessment(assessment, user=None)
    return baseline, follow_up


def _get(client, name, **kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    return response


def test_organisation_export_reads_back_what_was_entered(two_rounds_submitted, world):
    response = _get(
        client_for(world.participant),
        "checklists:organisation_results_xlsx",
        programme_pk=world.programme.pk,
        organisation_pk=world.mentor.pk,
    )

    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Sammanfattning", "Nulägesbedömning", "Uppföljning"]
    summary = workbook["Sammanfattning"]
    assert summary.freeze_panes == "A2"
    assert summary.column_dimensions["A"].width == 40
    rows = list(summary.iter_rows(values_only=True))
    assert rows[0][0] == "Område"
    assert rows[1][:6] == ("Mål och styrdokument", 1, 0, 2, 0, 1)
    assert rows[-1][0] == "Totalt"
    round_sheet = workbook["Uppföljning"]
    first = list(round_sheet[2])
    assert [c.value for c in first] == [
        "Mål och styrdokument",
        "1.1",
        "Jämställdhetsmålen är beslutade av fullmäktige och kända i organisationen.",
        2,
        "ja",
        "=SUM(A1:A9) är inte en formel",
    ]
    assert first[5].data_type == "s"
    levels = [row[3] for row in round_sheet.iter_rows(min_row=2, values_only=True)]
    assert levels == [2] * 26


def test_cluster_export_has_summary_and_organisations_side_by_side(two_rounds_submitted, world):
    response = _get(
        client_for(world.key_person), "checklists:cluster_results_xlsx", pk=world.cluster.pk
    )

    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Sammanfattning", "Nulägesbedömning", "Uppföljning"]
    summary = list(workbook["Sammanfattning"].iter_rows(values_only=True))
    assert summary[0] == ("Organisation", "Nulägesbedömning", "Uppföljning", "Förflyttning")
    assert summary[1] == (world.mentor.name, 1, 2, 1)
    assert summary[2] == (world.benchmarking_organisation.name, None, None, None)
    sheet = list(workbook["Uppföljning"].iter_rows(values_only=True))
    assert sheet[0][3:] == (world.mentor.name, world.benchmarking_organisation.name)
    assert sheet[1][:4] == ("Mål och styrdokument", None, "Medelnivå", 2)
    assert sheet[2][1:4] == (
        "1.1",
        "Jämställdhetsmålen är beslutade av fullmäktige och kända i organisationen.",
        2,
    )


def test_offline_workbook_has_validation_and_a_hidden_id_column(rounds, world):
    assessment = services.start_assessment(rounds[0], world.mentor)

    response = _get(client_for(world.key_person), "checklists:assessment_xlsx", pk=assessment.pk)

    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook["Självskattning"]
    assert sheet.column_dimensions["A"].hidden is True
    assert sheet.freeze_panes == "A2"
    formulas = sorted(v.formula1 for v in sheet.data_validations.dataValidation)
    assert formulas == ['"0,1,2,3"', '"ja,nej"']
    assert workbook["jambench"].sheet_state == "hidden"
    assert sheet.max_row == 27


def test_exports_open_in_libreoffice(two_rounds_submitted, world, tmp_path):
    client = client_for(world.key_person)
    files = {
        "organisation.xlsx": _get(
            client,
            "checklists:organisation_results_xlsx",
            programme_pk=world.programme.pk,
            organisation_pk=world.mentor.pk,
        ).content,
        "cluster.xlsx": _get(
            client, "checklists:cluster_results_xlsx", pk=world.cluster.pk
        ).content,
        "offline.xlsx": _get(
            client,
            "checklists:assessment_xlsx",
            pk=two_rounds_submitted[1].assessments.get().pk,
        ).content,
    }

    converted = convert_with_libreoffice(tmp_path, files)

    assert all(pdf.startswith(b"%PDF") for pdf in converted.values())
