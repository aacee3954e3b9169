"""Properties of the key-figure forms and number parsing: Swedish decimals, any input."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from keyfigures.enums import ThresholdKind
from keyfigures.forms import KpiSearchForm, OwnKpiForm, ThresholdForm, YearValuesForm
from keyfigures.models import Kpi, KpiValue, OrganisationKpi
from keyfigures.services import LARGEST_VALUE, parse_number

from ..strategies import (
    DB_EXAMPLES,
    JUNK,
    PURE_EXAMPLES,
    TEXT,
    random_valid_form,
)

VALUE = KpiValue._meta.get_field("value")
THRESHOLD = OrganisationKpi._meta.get_field("threshold")

FORMS = {
    "kpi_search": (KpiSearchForm, {}),
    "own_kpi": (OwnKpiForm, {name: Kpi._meta.get_field(name) for name in ("title", "unit")}),
    "threshold": (ThresholdForm, {"threshold": THRESHOLD}),
    "year_values": (YearValuesForm, dict.fromkeys(("women", "men", "total"), VALUE)),
}


@pytest.mark.parametrize("name", sorted(FORMS))
@DB_EXAMPLES
@given(data=st.data())
def test_key_figure_forms_never_fail_and_keep_their_limits(name, data):
    make_form, model_fields = FORMS[name]

    random_valid_form(data, make_form, model_fields)


THRESHOLDS = st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2)
VALUES = st.decimals(min_value=-LARGEST_VALUE, max_value=LARGEST_VALUE, places=4)


def _written(number: Decimal, separator: str) -> str:
    return format(number, "f").replace(".", separator)


@PURE_EXAMPLES
@given(THRESHOLDS)
@example(Decimal("3.5"))
def test_threshold_takes_a_decimal_comma_in_swedish_and_a_point_in_both(number):
    for language, separators in (("sv", ",."), ("en", ".")):
        for separator in separators:
            with translation.override(language):
                form = ThresholdForm(
                    {
                        "threshold_kind": ThresholdKind.ABSOLUTE,
                        "threshold": _written(number, separator),
                    }
                )
                assert form.is_valid(), (language, form.errors)
            assert form.cleaned_data["threshold"] == number


@PURE_EXAMPLES
@given(year=st.integers(1990, 2100), values=st.lists(st.none() | VALUES, min_size=3, max_size=3))
@example(year=2024, values=[Decimal("3.5"), None, Decimal("-0.0001")])
def test_year_values_shown_on_the_page_come_back_the_same(year, values):
    """What the edit page shows (localised) is what a save without changes stores."""
    initial = dict(zip(("women", "men", "total"), values, strict=True))
    for language in ("sv", "en"):
        with translation.override(language):
            shown = YearValuesForm(initial={"year": year, **initial})
            data = {
                name: shown.fields[name].widget.format_value(shown[name].value()) or ""
                for name in ("year", "women", "men", "total")
            }
            form = YearValuesForm(data)
            valid = form.is_valid()

        if all(value is None for value in values):
            assert not valid
            continue
        assert valid, (language, data, form.errors)
        assert form.cleaned_data == {"year": year, **initial}


@PURE_EXAMPLES
@given(st.one_of(TEXT, JUNK, st.integers(), st.floats(), st.decimals(), st.booleans()))
@example("1e999999999999999999999")
@example(Decimal("9999999999.99995"))
def test_parse_number_gives_a_storable_number_or_a_value_error(value):
    try:
        number = parse_number(value)
    except ValueError:
        return

    if number is not None:
        assert number.is_finite()
        assert abs(number) <= LARGEST_VALUE
        VALUE.clean(number, None)


@PURE_EXAMPLES
@given(VALUES, st.sampled_from(["", " ", "\xa0"]))
@example(Decimal("1234.5"), " ")
def test_parse_number_reads_swedish_numbers(number, group):
    whole, _point, decimals = format(number, "f").partition(".")
    sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    swedish = f"{sign}{group.join(groups)},{decimals}"

    assert parse_number(swedish) == number
    assert parse_number(format(number, "f")) == number
