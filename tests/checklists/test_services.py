import datetime

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from checklists import selectors, services
from checklists.enums import AssessmentStatus
from checklists.models import Answer, AssessmentRound, ChecklistVersion, Statement

from .conftest import build_workbook, fill, submitted, xlsx_upload


@pytest.fixture
def organisation(world):
    return world.mentor


def test_first_round_starts_blank(rounds, organisation, world):
    baseline, _follow_up = rounds

    assessment = services.start_assessment(baseline, organisation, user=world.key_person)

    assert assessment.prefilled_from is None
    assert assessment.answers.count() == 26
    assert not assessment.answers.filter(level__isnull=False).exists()


def test_starting_twice_returns_the_same_assessment(rounds, organisation):
    first = services.start_assessment(rounds[0], organisation)

    assert services.start_assessment(rounds[0], organisation) == first
    assert Answer.objects.count() == 26


def test_next_round_is_prefilled_from_the_previous_and_marked_carried(rounds, organisation):
    baseline, follow_up = rounds
    previous = fill(services.start_assessment(baseline, organisation), lambda s: 1)
    answer = previous.answers.order_by("statement__position").first()
    services.save_answer(
        previous,
        answer.statement,
        level=2,
        comment="Mål finns i budgeten",
        needs_improvement=True,
        user=None,
    )
    services.submit_assessment(previous, user=None)

    assessment = services.start_assessment(follow_up, organisation)

    assert assessment.prefilled_from == previous
    carried = assessment.answers.order_by("statement__position").first()
    assert (carried.level, carried.comment, carried.needs_improvement, carried.carried_over) == (
        2,
        "Mål finns i budgeten",
        True,
        True,
    )
    assert assessment.answers.filter(carried_over=True).count() == 26


def test_a_later_round_is_never_the_previous_one(rounds, organisation):
    baseline, follow_up = rounds
    fill(services.start_assessment(follow_up, organisation), lambda s: 3)

    assessment = services.start_assessment(baseline, organisation)

    assert assessment.prefilled_from is None


def test_new_checklist_version_carries_answers_by_number_and_text(rounds, organisation, world):
    baseline, _follow_up = rounds
    submitted(services.start_assessment(baseline, organisation), lambda s: 2)
    first = Statement.objects.filter(version=baseline.version).order_by("position").first()
    content = build_workbook(
        [
            ["Mål och styrdokument", first.number, first.text],
            ["Mål och styrdokument", "9.9", "Ett nytt påstående"],
        ]
    )
    new_version = services.import_checklist(xlsx_upload(content), name="Checklista 2027")
    later = AssessmentRound.objects.create(
        programme=world.programme,
        version=new_version,
        name="Slutbedömning",
        due_on=datetime.date(2027, 5, 1),
    )

    assessment = services.start_assessment(later, organisation)

    assert dict(assessment.answers.values_list("statement__number", "level")) == {
        first.number: 2,
        "9.9": None,
    }


def test_saving_an_answer_clears_carried_over(rounds, organisation):
    submitted(services.start_assessment(rounds[0], organisation), lambda s: 1)
    assessment = services.start_assessment(rounds[1], organisation)
    answer = assessment.answers.first()

    services.save_answer(
        assessment, answer.statement, level=2, comment="", needs_improvement=False, user=None
    )

    answer.refresh_from_db()
    assert (answer.level, answer.carried_over) == (2, False)


def test_submit_needs_every_level_and_keeps_what_was_filled(rounds, organisation, world):
    assessment = services.start_assessment(rounds[0], organisation)
    statement = assessment.answers.first().statement
    services.save_answer(
        assessment, statement, level=3, comment="", needs_improvement=False, user=None
    )

    with pytest.raises(ValidationError) as caught:
        services.submit_assessment(assessment, user=world.key_person)

    assert caught.value.messages == [
        "25 påståenden saknar nivå. Besvara alla påståenden innan du lämnar in; "
        "det du har fyllt i är sparat."
    ]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.answers.get(statement=statement).level == 3


def test_submitted_assessment_is_locked_until_reopened(rounds, organisation, world):
    assessment = fill(services.start_assessment(rounds[0], organisation), lambda s: 1)
    services.submit_assessment(assessment, user=world.key_person)
    statement = assessment.answers.first().statement

    with pytest.raises(ValidationError):
        services.save_answer(
            assessment, statement, level=3, comment="", needs_improvement=False, user=None
        )
    services.reopen_assessment(assessment, user=world.key_person)
    services.save_answer(
        assessment, statement, level=3, comment="", needs_improvement=False, user=None
    )

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.submitted_at is None
    assert assessment.answers.get(statement=statement).level == 3


def test_version_in_use_cannot_be_deleted_or_changed_in_admin(rounds, version, world):
    with pytest.raises(ValidationError):
        services.delete_version(version)
    request = RequestFactory().get("/")
    request.user = world.key_person
    request.user.is_superuser = True
    admin = site._registry[ChecklistVersion]

    assert admin.has_change_permission(request, version) is False
    assert admin.has_delete_permission(request, version) is False
    assert ChecklistVersion.objects.filter(pk=version.pk).exists()


def test_unused_version_can_be_deleted(version):
    services.delete_version(version)

    assert not ChecklistVersion.objects.exists()
    assert not Statement.objects.exists()


def test_round_version_is_fixed_once_an_organisation_started(rounds, organisation, world):
    baseline, _ = rounds
    services.start_assessment(baseline, organisation)
    other = services.import_checklist(
        xlsx_upload(build_workbook([["Mål", "1", "Första"]])), name="Annan"
    )

    with pytest.raises(ValidationError) as caught:
        services.save_round(programme=world.programme, instance=baseline, version=other)

    assert "version" in caught.value.message_dict


def test_round_names_are_unique_in_a_programme(rounds, version, world):
    with pytest.raises(ValidationError) as caught:
        services.save_round(
            programme=world.programme,
            name="Uppföljning",
            due_on=datetime.date(2027, 3, 1),
            version=version,
        )

    assert "name" in caught.value.message_dict


def test_scores_give_mean_top_share_and_movement(rounds, organisation):
    baseline, follow_up = rounds
    first = fill(services.start_assessment(baseline, organisation), lambda s: 1)
    services.submit_assessment(first, user=None)
    second = services.start_assessment(follow_up, organisation)
    goals = list(
        second.answers.filter(statement__section__title="Mål och styrdokument").select_related(
            "statement"
        )
    )
    for answer, level in zip(goals, [3, 3, 2, 0], strict=True):
        services.save_answer(
            second, answer.statement, level=level, comment="", needs_improvement=False, user=None
        )
    services.submit_assessment(second, user=None, confirm_carried=True)

    results = selectors.organisation_results(baseline.programme, organisation)

    row = next(r for r in results.areas if r.area.title == "Mål och styrdokument")
    assert [s.mean for s in row.scores] == [1.0, 2.0]
    assert [s.top_share for s in row.scores] == [0, 50]
    assert row.movement == 1.0
    assert results.overall[0].mean == 1.0
    assert results.overall[1].mean == 1.2  # 30 / 26 = 1.15…
    assert results.overall_movement == 0.2


def test_draft_assessments_do_not_count_in_results(rounds, organisation):
    fill(services.start_assessment(rounds[0], organisation), lambda s: 3)

    results = selectors.organisation_results(rounds[0].programme, organisation)

    assert results.overall == [None, None]
    assert results.rounds[0].assessment is not None


def test_carried_answers_must_be_looked_at_or_confirmed(rounds, organisation, world):
    submitted(services.start_assessment(rounds[0], organisation), lambda s: 1)
    follow_up = services.start_assessment(rounds[1], organisation)
    answer = follow_up.answers.first()
    services.save_answer(
        follow_up, answer.statement, level=2, comment="", needs_improvement=False, user=None
    )

    with pytest.raises(ValidationError) as caught:
        services.submit_assessment(follow_up, user=world.key_person)
    services.submit_assessment(follow_up, user=world.key_person, confirm_carried=True)

    assert caught.value.messages == [
        "25 svar är överförda från förra omgången och ingen har granskat dem i den här "
        "omgången. Kontrollera dem, eller bekräfta att de fortfarande stämmer, och lämna in igen."
    ]
    follow_up.refresh_from_db()
    assert follow_up.status == AssessmentStatus.SUBMITTED
    assert not follow_up.answers.filter(carried_over=True).exists()
