"""A workbook that would stall a worker is refused on every route that reads one, in under a
second, with the reason in Swedish and nothing saved (issue: a 1.5 MB upload held a web
worker for minutes and ~900 MB)."""

import time

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from checklists import services
from checklists.models import ChecklistVersion

from ..conftest import client_for
from ..workbooks import one_huge_row
from .conftest import EXAMPLE, xlsx_upload

REFUSED = (
    "Arbetsboken har fler celler än Jämbench läser (högst 250\xa0000, och 1\xa0000 på en rad)."
)


@pytest.fixture(scope="module")
def stalling_workbook() -> bytes:
    return one_huge_row(EXAMPLE.read_bytes())


def _timed(call):
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def test_checklist_import_page_refuses_it(world, stalling_workbook):
    client = client_for(world.project_manager)

    response, elapsed = _timed(
        lambda: client.post(
            reverse("checklists:version_upload"),
            {"file": xlsx_upload(stalling_workbook), "name": "Stor"},
        )
    )

    assert response.status_code == 200
    assert REFUSED in response.text
    assert elapsed < 1.0
    assert not ChecklistVersion.objects.exists()


def test_import_command_refuses_it(db, tmp_path, stalling_workbook):
    path = tmp_path / "stor.xlsx"
    path.write_bytes(stalling_workbook)

    with pytest.raises(CommandError) as refused:
        call_command("import_checklist", str(path))

    assert REFUSED in str(refused.value)
    assert not ChecklistVersion.objects.exists()


def test_import_command_refuses_it_quickly(db, tmp_path, stalling_workbook):
    path = tmp_path / "stor.xlsx"
    path.write_bytes(stalling_workbook)
    started = time.perf_counter()

    with pytest.raises(CommandError):
        call_command("import_checklist", str(path))

    assert time.perf_counter() - started < 1.0


def test_self_assessment_upload_refuses_it_and_keeps_the_answers(rounds, world, stalling_workbook):
    assessment = services.start_assessment(rounds[0], world.mentor, user=world.key_person)
    client = client_for(world.key_person)
    answer = assessment.answers.order_by("statement__position").first()
    client.post(
        reverse(
            "checklists:answer_save",
            kwargs={"pk": assessment.pk, "statement": answer.statement.pk},
        ),
        {"level": "2", "comment": "Sparat före"},
    )

    response, elapsed = _timed(
        lambda: client.post(
            reverse("checklists:assessment_upload", kwargs={"pk": assessment.pk}),
            {"file": xlsx_upload(stalling_workbook, "ifylld.xlsx")},
        )
    )

    assert REFUSED in response.text
    assert elapsed < 1.0
    answer.refresh_from_db()
    assert (answer.level, answer.comment) == (2, "Sparat före")
