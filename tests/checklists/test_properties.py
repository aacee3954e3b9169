"""Properties of the self-assessment forms and workbooks, for any text people type."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from benchmarking.excel import XLSX
from checklists import selectors, services
from checklists.documents.workbooks import (
    COMMENT,
    assessment_workbook,
    cluster_results_workbook,
    organisation_results_workbook,
    read_assessment_workbook,
)
from checklists.forms import AnswerForm, RoundForm
from checklists.models import COMMENT_MAX_LENGTH, Answer, AssessmentRound, normalise_comment
from programmes.models import Organisation

from ..strategies import (
    DB_EXAMPLES,
    as_written,
    assert_no_formulas,
    random_valid_form,
    reopened,
    storable_spreadsheet_text,
)
from .conftest import submitted

COMMENTS = storable_spreadsheet_text(COMMENT_MAX_LENGTH)
NAMES = storable_spreadsheet_text(200)


FORMS = {
    "answer": lambda version: (
        lambda data: AnswerForm(
            data, levels=version.levels.all(), statement=version.statements.first()
        ),
        {"comment": Answer._meta.get_field("comment")},
    ),
    "round": lambda version: (RoundForm, {"name": AssessmentRound._meta.get_field("name")}),
}


@pytest.mark.parametrize("name", sorted(FORMS))
@DB_EXAMPLES
@given(data=st.data())
def test_checklist_forms_never_fail_and_keep_their_limits(name, version, data):
    make_form, model_fields = FORMS[name](version)

    form = random_valid_form(data, make_form, model_fields)

    if form is not None and name == "answer":
        levels = {level.value for level in version.levels.all()}
        assert form.cleaned_data["level"] in levels | {None}


@pytest.fixture
def assessment(rounds, world):
    return services.start_assessment(rounds[0], world.mentor)


@settings(DB_EXAMPLES, max_examples=15)  # an export and an upload per example
@given(
    comment=COMMENTS,
    statement_text=storable_spreadsheet_text(5000),
    level=st.none() | st.sampled_from([0, 1, 2, 3]),  # the example checklist's scale
    needs_improvement=st.booleans(),
)
@example(
    comment="=SUM(A1:A9)\r\n\x01@x\ufffe",
    statement_text="-1+1",
    level=None,
    needs_improvement=True,
)
def test_assessment_workbook_comes_back_unchanged(
    assessment, comment, statement_text, level, needs_improvement
):
    answer = assessment.answers.select_related("statement").order_by("statement__position")[0]
    answer.statement.text = statement_text
    answer.statement.save()
    services.save_answer(
        assessment,
        answer.statement,
        level=level,
        comment=comment,
        needs_improvement=needs_improvement,
        user=None,
    )

    with translation.override("sv"):
        _name, _type, content = assessment_workbook(
            assessment, selectors.assessment_page(assessment)
        )
        workbook = reopened(content)
        read = read_assessment_workbook(
            SimpleUploadedFile("sjalvskattning.xlsx", content, content_type=XLSX),
            assessment,
            selectors.statement_ids(assessment),
            selectors.scale_levels(assessment),
        )
        changed = services.apply_workbook_answers(assessment, read, user=None)

    assert_no_formulas(workbook)
    sheet = workbook.worksheets[0]
    first = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == answer.statement_id)
    assert (first[3].value or "") == as_written(statement_text)
    assert (first[COMMENT - 1].value or "") == as_written(comment)
    row = next(row for row in read.rows if row.statement_id == answer.statement_id)
    assert row.values == (level, needs_improvement, normalise_comment(as_written(comment)))
    assert changed == 0


@pytest.fixture
def submitted_rounds(rounds, world):
    for round_, level in zip(rounds, (1, 2), strict=True):
        submitted(services.start_assessment(round_, world.mentor), lambda s, v=level: v)
    return rounds


def _valid_sheet_titles(workbook) -> None:
    titles = workbook.sheetnames
    assert len({title.lower() for title in titles}) == len(titles)
    for title in titles:
        assert 1 <= len(title) <= 31
        assert not re.search(r"[\[\]:*?/\\]", title)
        assert not title.startswith("'") and not title.endswith("'")
        assert title.lower() != "history"


@settings(DB_EXAMPLES, max_examples=15)  # two exports per example
@given(round_names=st.lists(NAMES, min_size=2, max_size=2), name=NAMES, comment=COMMENTS)
@example(round_names=["History", "history"], name="=1+1", comment="@SUM(1)")
@example(round_names=["'[Bas]: linje?'", "x" * 200], name="\ufffe", comment="+1")
def test_results_workbooks_hold_any_names_and_comments_as_text(
    submitted_rounds, world, round_names, name, comment
):
    mentor = world.mentor
    assume(round_names[0] != round_names[1])
    assume(not Organisation.objects.filter(name=name).exclude(pk=mentor.pk).exists())
    for round_, round_name in zip(submitted_rounds, round_names, strict=True):
        round_.name = round_name
        round_.save()
    mentor.name = name
    mentor.save()
    answer = Answer.objects.filter(assessment__round=submitted_rounds[1]).order_by("pk")[0]
    answer.comment = comment
    answer.save()

    with translation.override("sv"):
        results = selectors.organisation_results(world.programme, mentor)
        _n, _t, own = organisation_results_workbook(results, selectors.answers_by_round(results))
        _n, _t, cluster = cluster_results_workbook(
            world.cluster, selectors.cluster_export(world.cluster)
        )

    own_workbook, cluster_workbook = reopened(own), reopened(cluster)
    for workbook in (own_workbook, cluster_workbook):
        assert_no_formulas(workbook)
        _valid_sheet_titles(workbook)
        assert len(workbook.sheetnames) == 3
    comments = [row[5].value or "" for row in own_workbook.worksheets[2].iter_rows(min_row=2)]
    assert as_written(comment) in comments
    organisations = [row[0].value or "" for row in cluster_workbook.worksheets[0].iter_rows()]
    assert as_written(name) in organisations
