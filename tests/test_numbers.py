from decimal import Decimal

import pytest

from benchmarking.numbers import half_up, mean_of


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([4, 4, 5, 4], 4.3),  # 4.25 rounds half up, not to even
        ([1, 2], 1.5),
        ([2.25, 2.25], 2.3),  # floats are taken as written, not as binary fractions
        ([None, 3, None], 3.0),
        ([], None),
        ([None], None),
    ],
)
def test_mean_of_rounds_half_up_to_one_decimal(values, expected):
    assert mean_of(values) == expected


def test_half_up():
    assert half_up(Decimal("0.05")) == 0.1
    assert half_up(2.675, 2) == 2.68
    assert half_up(None) is None


def test_percent_rounds_half_up_and_is_none_of_nothing():
    from benchmarking.numbers import percent

    assert (percent(1, 8), percent(1, 3), percent(0, 4), percent(3, 0)) == (13, 33, 0, None)
