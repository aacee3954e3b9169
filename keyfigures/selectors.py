"""Reading key figures with their deviations between women and men.

The deviation of a key figure is taken in its latest year with values for both women and
men: the absolute difference (in the key figure's unit) and the relative difference (as a
percentage of the mean of the two). The organisation's threshold says which of the two it
judges by and how large it may be before action is taken.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.shortcuts import get_object_or_404

from programmes.selectors import memberships_of, shares_cluster

from .enums import Gender, ThresholdKind
from .models import KpiValue, OrganisationKpi


@dataclass
class YearValues:
    year: int
    women: Decimal | None = None
    men: Decimal | None = None
    total: Decimal | None = None

    @property
    def has_both(self) -> bool:
        return self.women is not None and self.men is not None


@dataclass
class Deviation:
    year: int
    women: Decimal
    men: Decimal
    difference: Decimal  # women minus men
    relative: Decimal | None  # percent of the mean of women and men
    measured: Decimal | None  # what the threshold is compared with
    exceeded: bool | None  # None: no threshold set


def _round(value: Decimal | None, places: str = "0.1") -> Decimal | None:
    return None if value is None else value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def deviation(organisation_kpi: OrganisationKpi, years: list[YearValues]) -> Deviation | None:
    latest = next((y for y in reversed(years) if y.has_both), None)
    if latest is None:
        return None
    difference = latest.women - latest.men
    mean = (latest.women + latest.men) / 2
    relative = abs(difference) / abs(mean) * 100 if mean else None
    if organisation_kpi.threshold_kind == ThresholdKind.ABSOLUTE:
        measured = abs(difference)
    else:
        measured = relative
    threshold = organisation_kpi.threshold
    exceeded = None
    if threshold is not None and measured is not None:
        exceeded = _round(measured, "0.01") > threshold
    elif threshold is not None and difference:
        # Women and men on either side of zero: no relative size, but surely a deviation.
        exceeded = True
    return Deviation(
        year=latest.year,
        women=latest.women,
        men=latest.men,
        difference=_round(difference, "0.01"),
        relative=_round(relative),
        measured=_round(measured, "0.01"),
        exceeded=exceeded,
    )


@dataclass
class KpiRow:
    organisation_kpi: OrganisationKpi
    years: list[YearValues]
    deviation: Deviation | None
    action_count: int = 0
    chart: object = None

    @property
    def kpi(self):
        return self.organisation_kpi.kpi

    @property
    def organisation(self):
        return self.organisation_kpi.organisation

    @property
    def chart_id(self) -> str:
        return f"kpi-chart-{self.organisation_kpi.pk}"

    @property
    def table_id(self) -> str:
        return f"kpi-values-{self.organisation_kpi.pk}"


def _years_by_kpi(organisation_kpis) -> dict[tuple[int, int], list[YearValues]]:
    """{(organisation id, kpi id): [YearValues by year]} in one query."""
    if not organisation_kpis:
        return {}
    organisations = {ok.organisation_id for ok in organisation_kpis}
    kpis = {ok.kpi_id for ok in organisation_kpis}
    table: dict[tuple[int, int], dict[int, YearValues]] = defaultdict(dict)
    for value in KpiValue.objects.filter(organisation_id__in=organisations, kpi_id__in=kpis):
        years = table[(value.organisation_id, value.kpi_id)]
        entry = years.setdefault(value.year, YearValues(value.year))
        attribute = {Gender.WOMEN: "women", Gender.MEN: "men", Gender.TOTAL: "total"}[value.gender]
        setattr(entry, attribute, value.value)
    return {key: [years[y] for y in sorted(years)] for key, years in table.items()}


def _rows(organisation_kpis) -> list[KpiRow]:
    years = _years_by_kpi(organisation_kpis)
    rows = []
    for ok in organisation_kpis:
        series = years.get((ok.organisation_id, ok.kpi_id), [])
        rows.append(
            KpiRow(
                ok,
                series,
                deviation(ok, series),
                action_count=getattr(ok, "action_count", 0),
            )
        )
    return rows


def _organisation_kpis():
    return OrganisationKpi.objects.select_related("kpi", "organisation").annotate(
        action_count=Count("improvement_actions", distinct=True)
    )


def organisation_rows(programme, organisation) -> list[KpiRow]:
    return _rows(list(_organisation_kpis().filter(programme=programme, organisation=organisation)))


@dataclass
class ClusterKpis:
    rows_by_organisation: list[tuple[object, bool, list[KpiRow]]] = field(default_factory=list)
    flagged: list[KpiRow] = field(default_factory=list)
    # key figures chosen by two or more organisations: the organisations' latest values
    shared: list[tuple[object, list[KpiRow]]] = field(default_factory=list)


def cluster_kpis(cluster) -> ClusterKpis:
    memberships = memberships_of(cluster)
    organisation_kpis = list(
        _organisation_kpis().filter(
            programme_id=cluster.programme_id,
            organisation_id__in=[m.organisation_id for m in memberships],
        )
    )
    rows = _rows(organisation_kpis)
    by_organisation = defaultdict(list)
    by_kpi = defaultdict(list)
    for row in rows:
        by_organisation[row.organisation_kpi.organisation_id].append(row)
        by_kpi[row.kpi.pk].append(row)
    result = ClusterKpis()
    for membership in memberships:
        result.rows_by_organisation.append(
            (
                membership.organisation,
                membership.is_mentor,
                by_organisation[membership.organisation_id],
            )
        )
    result.flagged = [row for row in rows if row.deviation and row.deviation.exceeded]
    result.shared = [(group[0].kpi, group) for group in by_kpi.values() if len(group) >= 2]
    return result


def visible_organisation_kpis(user):
    return OrganisationKpi.objects.filter(shares_cluster(user))


def get_organisation_kpi_for_user(user, pk: int) -> OrganisationKpi:
    """A prioritised key figure of an organisation in one of the user's clusters (else 404)."""
    return get_object_or_404(
        visible_organisation_kpis(user).select_related("kpi", "organisation", "programme"),
        pk=pk,
    )


def value_count(organisation_kpi) -> int:
    """How many values the organisation has for the key figure."""
    return (
        KpiValue.objects.filter(
            kpi=organisation_kpi.kpi_id, organisation_id=organisation_kpi.organisation_id
        )
        .exclude(value=None)
        .count()
    )
