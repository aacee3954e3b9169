"""Figures as people see them: means to one decimal, rounded half up (4.25 -> 4.3), the same
in every table, chart and export."""

from decimal import ROUND_HALF_UP, Decimal


def half_up(value, places: int = 1) -> float | None:
    if value is None:
        return None
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def mean_of(values) -> float | None:
    """The mean of the numbers given (None ignored), to one decimal; None when there are none."""
    present = [value for value in values if value is not None]
    if not present:
        return None
    if all(type(value) is int for value in present):  # ratings and levels: exact and fast
        return half_up(Decimal(sum(present)) / len(present))
    return half_up(sum(Decimal(str(value)) for value in present) / len(present))


def percent(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in whole per cent, rounded half up (1 of 8 -> 13); None of 0."""
    return int(half_up(Decimal(100 * part) / whole, 0)) if whole else None
