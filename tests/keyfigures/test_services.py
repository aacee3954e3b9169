import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from keyfigures import selectors, services
from keyfigures.enums import ThresholdKind, ValueSource
from keyfigures.models import KpiValue

from .conftest import DATA_URL

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def chosen(kolada_ok, world, uppsala):
    return services.add_kolada_kpi(world.programme, uppsala, "n00945", user=world.key_person)


def test_adding_a_kolada_kpi_stores_its_catalogue_entry(chosen):
    assert chosen.kpi.code == "N00945"
    assert chosen.kpi.unit == "%"
    assert chosen.kpi.is_divided_by_gender is True


def test_the_same_kpi_twice_is_refused(chosen, world, uppsala):
    with pytest.raises(ValidationError, match="already among"):
        services.add_kolada_kpi(world.programme, uppsala, "N00945")


def test_fetch_stores_values_by_sex_and_notes_a_missing_one(chosen):
    notes = services.fetch_from_kolada(chosen, today=TODAY)

    assert notes == ["Kolada has no values yet for 2025.", "2024: Kolada has no value for men."]
    stored = {(v.year, v.gender): v.value for v in KpiValue.objects.all()}
    assert stored[(2023, "K")] == Decimal("9.1000")
    assert stored[(2023, "M")] == Decimal("5.5000")
    assert (2024, "M") not in stored
    assert {v.source for v in KpiValue.objects.all()} == {ValueSource.KOLADA}
    assert chosen.last_fetched_at is not None


def test_failed_fetch_keeps_what_was_there(chosen, http):
    services.save_year(chosen, year=2023, women=Decimal("1"), men=Decimal("2"), total=None)
    http.replace("GET", DATA_URL, status=503)

    with pytest.raises(ValidationError, match="problem on its side"):
        services.fetch_from_kolada(chosen, today=TODAY)

    assert KpiValue.objects.count() == 2


def test_fetch_needs_the_organisations_kolada_id(chosen, uppsala):
    uppsala.kolada_id = ""
    uppsala.save()

    with pytest.raises(ValidationError, match="no Kolada id"):
        services.fetch_from_kolada(chosen, today=TODAY)


def test_a_missing_value_for_one_sex_keeps_the_value_entered_before(chosen):
    services.save_year(chosen, year=2024, women=None, men=Decimal("5.0"), total=None)

    services.fetch_from_kolada(chosen, today=TODAY)

    assert KpiValue.objects.get(year=2024, gender="M").value == Decimal("5.0000")
    assert KpiValue.objects.get(year=2024, gender="M").source == ValueSource.MANUAL


def test_deviation_uses_the_latest_year_with_both_sexes(chosen):
    services.fetch_from_kolada(chosen, today=TODAY)
    services.set_threshold(
        chosen, threshold_kind=ThresholdKind.RELATIVE, threshold=Decimal("40"), motivation=""
    )

    row = selectors.organisation_rows(chosen.programme, chosen.organisation)[0]

    assert row.deviation.year == 2023
    assert row.deviation.difference == Decimal("3.60")
    assert row.deviation.relative == Decimal("49.3")  # 3.6 / 7.3
    assert row.deviation.exceeded is True


def test_absolute_threshold_within(chosen):
    services.fetch_from_kolada(chosen, today=TODAY)
    services.set_threshold(
        chosen, threshold_kind=ThresholdKind.ABSOLUTE, threshold=Decimal("4"), motivation=""
    )

    row = selectors.organisation_rows(chosen.programme, chosen.organisation)[0]

    assert row.deviation.measured == Decimal("3.60")
    assert row.deviation.exceeded is False


def test_no_threshold_means_no_judgement(chosen):
    services.fetch_from_kolada(chosen, today=TODAY)

    row = selectors.organisation_rows(chosen.programme, chosen.organisation)[0]

    assert row.deviation.exceeded is None


def test_own_kpi_cannot_be_fetched(world, uppsala):
    own = services.add_own_kpi(world.programme, uppsala, title="Andel kvinnor bland chefer")

    with pytest.raises(ValidationError, match="own key figure"):
        services.fetch_from_kolada(own, today=TODAY)


def test_a_malformed_id_is_refused_without_asking_kolada(http, world, uppsala):
    with pytest.raises(ValidationError, match="is not a Kolada key figure id"):
        services.add_kolada_kpi(world.programme, uppsala, "")

    assert len(http.calls) == 0
