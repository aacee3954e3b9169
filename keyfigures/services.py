"""Writing key figures: choosing them, their thresholds, and their values from Kolada, by
hand or from a file. Values already stored are never removed by a failed fetch."""

import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.services import set_fact_sheet_population

from . import kolada
from .enums import Gender, ValueSource
from .models import CauseWorksheet, Kpi, KpiValue, OrganisationKpi, SharedKpi, kpi_id_validator

YEARS_FETCHED = 6
# Kolada's "Invånare totalt, antal" (SCB, 31 December), by women and men.
POPULATION_KPI = "N01951"
POPULATION_YEARS = 3


def _kpi_from_kolada(info: kolada.KpiInfo) -> Kpi:
    kpi, _created = Kpi.objects.update_or_create(
        code=info.id,
        defaults={
            "title": info.title[:500],
            "description": info.description,
            "unit": info.unit[:100],
            "is_divided_by_gender": info.is_divided_by_gender,
            "operating_area": info.operating_area[:300],
            "own": False,
        },
    )
    return kpi


def add_kolada_kpi(programme, organisation, code: str, *, user=None, session=None):
    """Prioritise a key figure from Kolada's catalogue for the organisation."""
    code = code.strip().upper()
    try:
        kpi_id_validator(code)
    except ValidationError as error:
        raise ValidationError(
            _("“%(code)s” is not a Kolada key figure id (a letter and five digits, e.g. N00945).")
            % {"code": code[:20]}
        ) from error
    try:
        info = kolada.get_kpi(code, session=session)
    except kolada.KoladaError as error:
        raise ValidationError(str(error)) from error
    return _add(programme, organisation, _kpi_from_kolada(info), user)


def add_own_kpi(programme, organisation, *, title, unit="", description="", user=None):
    """A key figure of the organisation's own that Kolada lacks (values by hand or file)."""
    code = f"EGEN-{uuid.uuid4().hex[:8].upper()}"
    kpi = Kpi.objects.create(code=code, title=title, unit=unit, description=description, own=True)
    return _add(programme, organisation, kpi, user)


def _add(programme, organisation, kpi, user):
    if OrganisationKpi.objects.filter(
        programme=programme, organisation=organisation, kpi=kpi
    ).exists():
        raise ValidationError(
            _("%(kpi)s is already among the organisation's key figures.") % {"kpi": kpi.code}
        )
    try:
        with transaction.atomic():
            return OrganisationKpi.objects.create(
                programme=programme, organisation=organisation, kpi=kpi, added_by=user
            )
    except IntegrityError as error:
        raise ValidationError(
            _("%(kpi)s is already among the organisation's key figures.") % {"kpi": kpi.code}
        ) from error


@transaction.atomic
def remove_kpi(organisation_kpi: OrganisationKpi) -> None:
    """Take the key figure off the organisation's list. A Kolada key figure's values stay
    (they come back if it is added again); an own key figure cannot be added again, so its
    values go with it. Improvement actions keep their text and lose only the link."""
    kpi = organisation_kpi.kpi
    organisation_kpi.delete()
    if kpi.own:
        KpiValue.objects.filter(kpi=kpi, organisation_id=organisation_kpi.organisation_id).delete()
        if not OrganisationKpi.objects.filter(kpi=kpi).exists():
            kpi.delete()


def set_threshold(organisation_kpi, *, threshold_kind, threshold, motivation):
    organisation_kpi.threshold_kind = threshold_kind
    organisation_kpi.threshold = threshold
    organisation_kpi.motivation = motivation
    organisation_kpi.save(update_fields=["threshold_kind", "threshold", "motivation"])
    return organisation_kpi


def fetch_from_kolada(organisation_kpi, *, today=None, session=None) -> list[str]:
    """Fetch the last years' values by sex from Kolada; returns notes for the user.

    On any error nothing is changed. A value Kolada lacks for one sex is noted, and the value
    stored before (if any) is kept.
    """
    organisation = organisation_kpi.organisation
    kpi = organisation_kpi.kpi
    if kpi.own:
        raise ValidationError(_("This is the organisation's own key figure: it is not in Kolada."))
    if not organisation.kolada_id:
        raise ValidationError(
            _("The organisation has no Kolada id. Add it on the organisation's page first.")
        )
    year = (today or timezone.localdate()).year
    years = range(year - YEARS_FETCHED, year)
    try:
        points = kolada.get_values(kpi.code, organisation.kolada_id, years, session=session)
    except kolada.KoladaError as error:
        raise ValidationError(str(error)) from error
    found, unusable = [], []
    for point in points:
        if point.value is None:
            continue
        try:
            storable(Decimal(str(point.value)))
        except (ValueError, InvalidOperation):
            unusable.append(point)
            continue
        found.append(point)
    if not found:
        raise ValidationError(
            _("Kolada has no values of %(kpi)s for %(organisation)s in %(first)s–%(last)s.")
            % {
                "kpi": kpi.code,
                "organisation": organisation.name,
                "first": years[0],
                "last": years[-1],
            }
        )
    with transaction.atomic():
        for point in found:
            KpiValue.objects.update_or_create(
                organisation=organisation,
                kpi=kpi,
                year=point.year,
                gender=point.gender,
                defaults={
                    "value": storable(Decimal(str(point.value))),
                    "source": ValueSource.KOLADA,
                },
            )
        organisation_kpi.last_fetched_at = timezone.now()
        organisation_kpi.save(update_fields=["last_fetched_at"])
    notes = [
        _("%(year)s: Kolada's value %(value)s cannot be stored and was left out.")
        % {"year": point.year, "value": point.value}
        for point in unusable
    ]
    without = [y for y in years if y not in {p.year for p in found}]
    if without:
        notes.append(
            _("Kolada has no values yet for %(years)s.")
            % {"years": ", ".join(str(y) for y in without)}
        )
    if kpi.is_divided_by_gender:
        by_year: dict[int, set[str]] = {}
        for point in found:
            by_year.setdefault(point.year, set()).add(point.gender)
        for point_year, genders in sorted(by_year.items()):
            for gender, label in ((Gender.WOMEN, _("women")), (Gender.MEN, _("men"))):
                if gender not in genders:
                    notes.append(
                        _("%(year)s: Kolada has no value for %(who)s.")
                        % {"year": point_year, "who": label}
                    )
    return notes


def save_year(organisation_kpi, *, year, women, men, total, source=ValueSource.MANUAL):
    """Values of one year, entered by hand: an empty field removes nothing."""
    with transaction.atomic():
        for gender, value in ((Gender.WOMEN, women), (Gender.MEN, men), (Gender.TOTAL, total)):
            if value is None:
                continue
            KpiValue.objects.update_or_create(
                organisation=organisation_kpi.organisation,
                kpi=organisation_kpi.kpi,
                year=year,
                gender=gender,
                defaults={"value": value, "source": source},
            )


# What a value field holds: 14 digits, 4 of them decimals.
LARGEST_VALUE = Decimal("9999999999.9999")


def storable(value: Decimal | None) -> Decimal | None:
    """The value rounded to four decimals, or ValueError if it cannot be stored."""
    if value is None:
        return None
    if not value.is_finite() or abs(value) > LARGEST_VALUE:
        raise ValueError(str(value))
    return value.quantize(Decimal("0.0001"))


def parse_number(text) -> Decimal | None:
    """A number as people write it in Swedish or English ('12,5', '12.5', '1 234').

    Raises ValueError for text that is not a finite number a value field can hold."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(str(text))
    if isinstance(text, (int, float, Decimal)):
        try:
            return storable(Decimal(str(text)))
        except InvalidOperation as error:
            raise ValueError(str(text)) from error
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        return storable(Decimal(cleaned))
    except InvalidOperation as error:
        raise ValueError(cleaned) from error


def import_values(organisation_kpis, rows) -> int:
    """Store checked rows (code, year, women, men, total); all or nothing. ``rows`` come from
    ``keyfigures.values_file.read_values_file``."""
    by_code = {ok.kpi.code: ok for ok in organisation_kpis}
    stored = 0
    with transaction.atomic():
        for row in rows:
            save_year(
                by_code[row.code],
                year=row.year,
                women=row.women,
                men=row.men,
                total=row.total,
                source=ValueSource.UPLOAD,
            )
            stored += 1
    return stored


def fetch_population(programme, organisation, *, user=None, today=None, session=None):
    """The organisation's population by sex in the latest year Kolada has, into its fact
    sheet. Uses the Kolada client's own timeouts; on any error nothing is changed."""
    if not organisation.kolada_id:
        raise ValidationError(
            _("The organisation has no Kolada id. Add it on the organisation's page first.")
        )
    year = (today or timezone.localdate()).year
    years = range(year - POPULATION_YEARS, year)
    try:
        points = kolada.get_values(POPULATION_KPI, organisation.kolada_id, years, session=session)
    except kolada.KoladaError as error:
        raise ValidationError(str(error)) from error
    by_year: dict[int, dict[str, float]] = {}
    for point in points:
        if point.value is not None:
            by_year.setdefault(point.year, {})[point.gender] = point.value
    complete = [y for y, values in by_year.items() if {Gender.WOMEN, Gender.MEN} <= set(values)]
    if not complete:
        raise ValidationError(
            _("Kolada has no population by women and men for %(organisation)s.")
            % {"organisation": organisation.name}
        )
    latest = max(complete)
    values = by_year[latest]
    women, men = round(values[Gender.WOMEN]), round(values[Gender.MEN])
    total = round(values[Gender.TOTAL]) if Gender.TOTAL in values else women + men
    return set_fact_sheet_population(
        programme, organisation, year=latest, women=women, men=men, total=total, user=user
    )


def set_shared(cluster, kpi, *, shared: bool, user=None) -> bool:
    """Mark a key figure as shared in the cluster (compared across its organisations), or
    not; returns whether it is shared now."""
    if shared:
        SharedKpi.objects.get_or_create(cluster=cluster, kpi=kpi, defaults={"added_by": user})
    else:
        SharedKpi.objects.filter(cluster=cluster, kpi=kpi).delete()
    return shared


def save_cause_worksheet(organisation_kpi, *, user=None, **fields) -> CauseWorksheet:
    """Create or update the cause worksheet of a key figure."""
    worksheet, _created = CauseWorksheet.objects.get_or_create(organisation_kpi=organisation_kpi)
    for key, value in fields.items():
        if key in CauseWorksheet.EDITABLE_FIELDS:
            setattr(worksheet, key, value)
    worksheet.updated_by = user
    worksheet.save()
    return worksheet
