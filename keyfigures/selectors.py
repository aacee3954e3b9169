"""Reading key figures with their deviations between women and men.

The deviation of a key figure is taken in its latest year with values for both women and
men: the absolute difference (in the key figure's unit) and the relative difference (as a
percentage of the mean of the two). The organisation's threshold says which of the two it
judges by and how large it may be before action is taken.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from benchmarking.templatetags.jambench import number
from programmes.selectors import memberships_of, shares_cluster

from .enums import Gender, ThresholdKind
from .models import CauseWorksheet, Kpi, KpiValue, OrganisationKpi, SharedKpi


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
        action_count=Count("improvement_actions", distinct=True),
        has_worksheet=Exists(CauseWorksheet.objects.filter(organisation_kpi=OuterRef("pk"))),
    )


def organisation_rows(programme, organisation) -> list[KpiRow]:
    return _rows(list(_organisation_kpis().filter(programme=programme, organisation=organisation)))


@dataclass
class ClusterKpis:
    rows_by_organisation: list[tuple[object, bool, list[KpiRow]]] = field(default_factory=list)
    flagged: list[KpiRow] = field(default_factory=list)
    # key figures chosen by two or more organisations: the organisations' latest values
    shared: list[tuple[object, list[KpiRow]]] = field(default_factory=list)


def _memberships(cluster):
    """The cluster's memberships, mentor first: those ``get_cluster_for_user`` prefetched, or
    read now."""
    if "memberships" in getattr(cluster, "_prefetched_objects_cache", {}):
        return list(cluster.memberships.all())
    return memberships_of(cluster)


def cluster_kpis(cluster) -> ClusterKpis:
    memberships = _memberships(cluster)
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


def latest_with_both(years: list[YearValues]) -> YearValues | None:
    return next((y for y in reversed(years) if y.has_both), None)


@dataclass
class SharedCell:
    organisation: object
    is_mentor: bool
    chosen: bool  # the organisation has the key figure on its own list
    latest: YearValues | None  # the latest year with values for both women and men

    @property
    def difference(self) -> Decimal | None:
        return self.latest.women - self.latest.men if self.latest else None


@dataclass
class SharedComparison:
    kpi: object
    cells: list[SharedCell]


def get_shareable_kpi(cluster, kpi_pk: int):
    """A key figure on the list of one of the cluster's organisations (else 404): only those
    can be shared in the cluster."""
    return get_object_or_404(
        Kpi.objects.filter(
            Exists(
                OrganisationKpi.objects.filter(
                    kpi=OuterRef("pk"),
                    programme_id=cluster.programme_id,
                    organisation__cluster_memberships__cluster=cluster,
                )
            )
        ),
        pk=kpi_pk,
    )


def shared_codes(cluster) -> set[str]:
    return set(SharedKpi.objects.filter(cluster=cluster).values_list("kpi__code", flat=True))


def shared_comparison(cluster) -> list[SharedComparison]:
    """The key figures the cluster shares, each with every organisation's latest year with
    women's and men's values (a fixed number of queries, whatever the size)."""
    memberships = _memberships(cluster)
    shared = list(
        SharedKpi.objects.filter(cluster=cluster).select_related("kpi").order_by("kpi__code")
    )
    if not shared:
        return []
    organisation_ids = [m.organisation_id for m in memberships]
    kpi_ids = [s.kpi_id for s in shared]
    chosen = set(
        OrganisationKpi.objects.filter(
            programme_id=cluster.programme_id,
            organisation_id__in=organisation_ids,
            kpi_id__in=kpi_ids,
        ).values_list("organisation_id", "kpi_id")
    )
    table: dict[tuple[int, int], dict[int, YearValues]] = defaultdict(dict)
    attribute = {Gender.WOMEN: "women", Gender.MEN: "men", Gender.TOTAL: "total"}
    for organisation_id, kpi_id, year, gender, value in KpiValue.objects.filter(
        organisation_id__in=organisation_ids, kpi_id__in=kpi_ids
    ).values_list("organisation_id", "kpi_id", "year", "gender", "value"):
        entry = table[(organisation_id, kpi_id)].setdefault(year, YearValues(year))
        setattr(entry, attribute[gender], value)
    comparisons = []
    for item in shared:
        cells = []
        for membership in memberships:
            years = table.get((membership.organisation_id, item.kpi_id), {})
            cells.append(
                SharedCell(
                    organisation=membership.organisation,
                    is_mentor=membership.is_mentor,
                    chosen=(membership.organisation_id, item.kpi_id) in chosen,
                    latest=latest_with_both([years[y] for y in sorted(years)]),
                )
            )
        comparisons.append(SharedComparison(item.kpi, cells))
    return comparisons


@dataclass
class WorksheetData:
    """A cause worksheet as plain text, for documents and exports."""

    organisation: str
    kpi: str
    deviation: str
    threshold: str
    reasoning: str
    causes: list[tuple[str, str]]  # (kind of cause, what the group found)
    evidence: str
    responsible: str
    decision: str
    actions: list[str]


def _deviation_text(row: KpiRow) -> str:
    d = row.deviation
    if d is None:
        return ""
    return _(
        "%(year)s: women %(women)s, men %(men)s, difference %(difference)s (%(relative)s %%)"
    ) % {
        "year": d.year,
        "women": number(d.women),
        "men": number(d.men),
        "difference": number(d.difference),
        "relative": number(d.relative) if d.relative is not None else "–",
    }


def worksheet_data(row: KpiRow, worksheet: CauseWorksheet) -> WorksheetData:
    ok = row.organisation_kpi
    unit = "%" if ok.threshold_kind == ThresholdKind.RELATIVE else ok.kpi.unit
    return WorksheetData(
        organisation=ok.organisation.name,
        kpi=f"{ok.kpi.code} {ok.kpi.title}",
        deviation=_deviation_text(row),
        threshold=f"{number(ok.threshold)} {unit}".strip() if ok.threshold is not None else "",
        reasoning=ok.motivation,
        causes=[
            (str(CauseWorksheet._meta.get_field(name).verbose_name), getattr(worksheet, name))
            for name in CauseWorksheet.CAUSE_FIELDS
        ],
        evidence=worksheet.evidence,
        responsible=worksheet.responsible,
        decision=worksheet.decision,
        actions=[
            f"{action.title} ({action.get_status_display().lower()})"
            for action in ok.improvement_actions.all()
        ],
    )


def _worksheet_queryset():
    return CauseWorksheet.objects.select_related(
        "organisation_kpi__kpi", "organisation_kpi__organisation"
    ).prefetch_related("organisation_kpi__improvement_actions")


def organisation_worksheets(programme, organisation) -> list[WorksheetData]:
    """The organisation's cause worksheets, as plain data, by key figure."""
    return _worksheets(
        _worksheet_queryset().filter(
            organisation_kpi__programme=programme, organisation_kpi__organisation=organisation
        )
    )


def cluster_worksheets(cluster) -> list[WorksheetData]:
    memberships = memberships_of(cluster)
    return _worksheets(
        _worksheet_queryset().filter(
            organisation_kpi__programme_id=cluster.programme_id,
            organisation_kpi__organisation_id__in=[m.organisation_id for m in memberships],
        )
    )


def _worksheets(worksheets) -> list[WorksheetData]:
    worksheets = list(
        worksheets.order_by("organisation_kpi__organisation__name", "organisation_kpi__kpi__code")
    )
    rows = {row.organisation_kpi.pk: row for row in _rows([w.organisation_kpi for w in worksheets])}
    return [worksheet_data(rows[w.organisation_kpi_id], w) for w in worksheets]


def get_worksheet_row(organisation_kpi) -> KpiRow:
    """The key figure's row (values and deviation) for its worksheet page."""
    return _rows([organisation_kpi])[0]


def worksheet_of(organisation_kpi) -> CauseWorksheet:
    """The key figure's worksheet; an unsaved, empty one if none is started."""
    return CauseWorksheet.objects.filter(organisation_kpi=organisation_kpi).first() or (
        CauseWorksheet(organisation_kpi=organisation_kpi)
    )
