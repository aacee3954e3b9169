"""Integrity and robustness: what an independent review found, kept as regression tests."""

import contextlib
import datetime
import warnings
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from keyfigures import kolada, selectors, services
from keyfigures.enums import ThresholdKind
from keyfigures.models import KpiValue
from keyfigures.views import women_men_chart
from plans import services as plan_services

from ..conftest import client_for
from .conftest import DATA_URL, kpis_url, upload_values

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- uploads -----------------------------------------------------------------------------


def test_upload_number_beyond_max_digits_is_refused_and_page_still_opens(chosen, world, uppsala):
    # 11 integer digits + 4 decimals > max_digits=14. PostgreSQL: DataError on save (500).
    # SQLite: stored, then every page reading it fails in the decimal converter (500).
    content = "Nyckeltal;År;Kvinnor;Män\nN00945;2025;12345678901;5\n".encode()
    client = client_for(world.key_person)

    response = upload_values(client, world, uppsala, "varden.csv", content)
    page = client.get(kpis_url(world, uppsala))

    assert response.status_code == 200  # refused with a form error
    assert not KpiValue.objects.exists()
    assert page.status_code == 200


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-inf"])
def test_upload_non_finite_number_is_refused_not_a_500(chosen, world, uppsala, text):
    content = f"Nyckeltal;År;Kvinnor;Män\nN00945;2025;{text};5\n".encode()

    response = upload_values(client_for(world.key_person), world, uppsala, "varden.csv", content)

    assert response.status_code == 200
    assert not KpiValue.objects.exists()


def test_upload_xlsx_with_boolean_cell_is_refused_not_a_500(chosen, world, uppsala):
    workbook = Workbook()
    workbook.active.append(["Nyckeltal", "År", "Kvinnor", "Män"])
    workbook.active.append(["N00945", 2025, True, 5])
    buffer = BytesIO()
    workbook.save(buffer)

    response = upload_values(
        client_for(world.key_person), world, uppsala, "varden.xlsx", buffer.getvalue()
    )

    assert response.status_code == 200
    assert not KpiValue.objects.exists()


# --- Kolada answers of an odd shape ---------------------------------------------------------


def _entry(**overrides):
    entry = {
        "kpi": "N00945",
        "municipality": "0380",
        "period": 2023,
        "values": [
            {"gender": "K", "count": 1, "status": "", "value": 9.1},
            {"gender": "M", "count": 1, "status": "", "value": 5.5},
        ],
    }
    entry.update(overrides)
    return entry


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"count": 1, "values": [_entry(period=None)]}, id="period-missing"),
        pytest.param(
            {"count": 1, "values": [_entry(values=[{"gender": "K", "value": "..", "count": 1}])]},
            id="value-not-numeric",
        ),
        pytest.param({"count": 1, "values": [_entry(values=None)]}, id="values-null"),
        pytest.param({"count": 0, "values": None}, id="page-values-null"),
        pytest.param([], id="body-is-a-list"),
    ],
)
def test_fetch_with_odd_kolada_json_gives_a_message_and_keeps_values(chosen, http, body):
    services.save_year(chosen, year=2022, women=Decimal(1), men=Decimal(2), total=None)
    http.replace("GET", DATA_URL, json=body)

    with pytest.raises(ValidationError):
        services.fetch_from_kolada(chosen, today=TODAY)

    assert KpiValue.objects.count() == 2


def test_fetch_with_kolada_value_beyond_max_digits_keeps_the_page_working(chosen, http, world):
    body = {
        "count": 1,
        "values": [
            _entry(
                values=[
                    {"gender": "K", "count": 1, "status": "", "value": 31234567890.5},
                    {"gender": "M", "count": 1, "status": "", "value": 29234567890.5},
                ]
            )
        ],
    }
    http.replace("GET", DATA_URL, json=body)

    with contextlib.suppress(ValidationError):  # refusing with a message is fine
        services.fetch_from_kolada(chosen, today=TODAY)

    page = client_for(world.key_person).get(kpis_url(world, chosen.organisation))
    assert page.status_code == 200


def test_kpi_search_with_two_words_raises_no_cache_key_warning(http):
    # The form's own help text suggests “ekonomiskt bistånd”; the cache key keeps the space,
    # which Django flags as a memcached-incompatible key (an error under memcached).
    http.get(
        "https://api.kolada.se/v2/kpi?title=ekonomiskt+bist%C3%A5nd",
        json={"count": 0, "values": []},
    )

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert kolada.search_kpis("ekonomiskt bistånd") == []


# --- deviation and chart -------------------------------------------------------------------


def test_relative_deviation_with_zero_mean_is_flagged(world):
    # Women -10, men +10 (e.g. a net result): the largest possible gap, but mean 0 makes the
    # relative difference None and the threshold is silently not applied.
    chosen = services.add_own_kpi(world.programme, world.mentor, title="Resultat")
    services.save_year(chosen, year=2025, women=Decimal(-10), men=Decimal(10), total=None)
    services.set_threshold(
        chosen, threshold_kind=ThresholdKind.RELATIVE, threshold=Decimal(20), motivation=""
    )

    (row,) = selectors.organisation_rows(world.programme, world.mentor)

    assert row.deviation.exceeded is True


def test_chart_bars_start_at_zero_for_negative_values(world):
    chosen = services.add_own_kpi(world.programme, world.mentor, title="Resultat")
    services.save_year(chosen, year=2025, women=Decimal(-5), men=Decimal(0), total=None)
    (row,) = selectors.organisation_rows(world.programme, world.mentor)

    chart = women_men_chart(row)
    women_bar, men_bar = chart.groups[0].bars

    # A value of 0 must not get a longer bar than a value of -5.
    assert men_bar.width < women_bar.width


# --- plans and the feedback template --------------------------------------------------------


def _feedback(world, meeting):
    from docx import Document

    response = client_for(world.key_person).get(
        reverse("meetings:feedback_docx", kwargs={"pk": meeting.pk})
    )
    assert response.status_code == 200
    return Document(BytesIO(response.content))


def test_feedback_docx_with_control_character_in_action_title_does_not_crash(world):
    # A vertical tab is what Word puts for a soft line break; pasted titles carry it.
    plan_services.create_action(
        world.programme, world.mentor, user=None, title="Analys\x0bsjukfrånvaro"
    )
    meeting = world.cluster.meetings.get(kind="benchmarking_2")

    _feedback(world, meeting)


def test_feedback_next_steps_are_in_date_order(world):
    for title, due in (
        ("Senare", datetime.date(2027, 5, 10)),
        ("Tidigare", datetime.date(2027, 3, 9)),
    ):
        plan_services.create_action(
            world.programme, world.mentor, user=None, title=title, status="planned", due_on=due
        )
    meeting = world.cluster.meetings.get(kind="benchmarking_2")

    with translation.override("en"):
        document = _feedback(world, meeting)
    next_steps = document.tables[-1]

    assert [row.cells[0].text for row in next_steps.rows[1:3]] == ["Tidigare", "Senare"]


def test_plan_page_queries_do_not_grow_with_actions(world):
    # One FollowUpForm per action, each re-evaluating its meeting queryset: +1 query/action.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.key_person)
    url = reverse(
        "plans:plan",
        kwargs={"programme_pk": world.programme.pk, "organisation_pk": world.mentor.pk},
    )
    counts = []
    for total in (2, 12):
        while world.mentor.improvement_actions.count() < total:
            plan_services.create_action(world.programme, world.mentor, user=None, title="Å")
        client.get(url)  # warm up
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_upload_xlsx_formulas_without_cached_values_are_not_reported_as_saved(
    chosen, world, uppsala
):
    # A workbook written by a script (openpyxl, pandas) has formulas but no cached results:
    # with data_only=True they read as empty, the row is counted as "saved", nothing is stored.
    workbook = Workbook()
    workbook.active.append(["Nyckeltal", "År", "Kvinnor", "Män"])
    workbook.active.append(["N00945", 2025, "=8.1*1", "=5*1"])
    buffer = BytesIO()
    workbook.save(buffer)

    response = upload_values(
        client_for(world.key_person), world, uppsala, "varden.xlsx", buffer.getvalue()
    )

    assert KpiValue.objects.exists() or response.status_code == 200
