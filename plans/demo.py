"""Demo key figures and improvement plans for ``seed_demo``: every demo organisation has
prioritised sick leave (Kolada's N00945) with values by sex for four years and a threshold;
where the deviation is beyond it, and for the statements it marked "needs improvement",
there is an action. The values are made up in Kolada's shape (no network is used)."""

import zlib
from decimal import Decimal

from checklists.models import Answer
from keyfigures.enums import Gender, ThresholdKind, ValueSource
from keyfigures.models import Kpi, KpiValue, OrganisationKpi
from programmes.models import Organisation

from .enums import ActionStatus
from .models import ImprovementAction

SICK_LEAVE = {
    "code": "N00945",
    "title": "Sjukfrånvaro, kommunalt anställda, andel (%)",
    "description": "Sjukfrånvaro i procent av sammanlagd ordinarie arbetstid för kommunalt "
    "anställda.",
    "unit": "%",
    "operating_area": "Personal",
}
YEARS = [2021, 2022, 2023, 2024]


def seed(programme) -> None:
    if OrganisationKpi.objects.filter(programme=programme).exists():
        return
    kpi, _created = Kpi.objects.get_or_create(code=SICK_LEAVE["code"], defaults=SICK_LEAVE)
    organisations = Organisation.objects.filter(
        cluster_memberships__cluster__programme=programme
    ).distinct()
    for organisation in organisations:
        seed_value = zlib.crc32(organisation.name.encode())
        chosen = OrganisationKpi.objects.create(
            programme=programme,
            organisation=organisation,
            kpi=kpi,
            threshold_kind=ThresholdKind.RELATIVE,
            threshold=Decimal(40),
            motivation="Skillnaden mellan kvinnors och mäns sjukfrånvaro är stor och har ökat.",
        )
        for offset, year in enumerate(YEARS):
            women = Decimal(8) + Decimal(seed_value % 20) / 10 + Decimal(offset) / 5
            men = Decimal(5) + Decimal(seed_value % 13) / 10
            for gender, value in (
                (Gender.WOMEN, women),
                (Gender.MEN, men),
                (Gender.TOTAL, (women * 3 + men) / 4),
            ):
                KpiValue.objects.create(
                    organisation=organisation,
                    kpi=kpi,
                    year=year,
                    gender=gender,
                    value=value.quantize(Decimal("0.1")),
                    source=ValueSource.KOLADA,
                )
        women, men = women.quantize(Decimal("0.1")), men.quantize(Decimal("0.1"))
        if abs(women - men) / ((women + men) / 2) * 100 > chosen.threshold:
            ImprovementAction.objects.create(
                programme=programme,
                organisation=organisation,
                organisation_kpi=chosen,
                area="key_figure",
                title="Analysera orsakerna till kvinnors högre sjukfrånvaro",
                description="Ta fram sjukfrånvaron per förvaltning och yrkesgrupp, uppdelad "
                "på kvinnor och män, och jämför arbetsvillkoren.",
                status=ActionStatus.IN_PROGRESS,
            )
        flagged = (
            Answer.objects.filter(
                assessment__organisation=organisation,
                assessment__round__programme=programme,
                needs_improvement=True,
            )
            .select_related("statement")
            .order_by("statement__position")
            .first()
        )
        if flagged is not None:
            ImprovementAction.objects.create(
                programme=programme,
                organisation=organisation,
                statement=flagged.statement,
                area="checklist",
                title=flagged.statement.text[:300],
                status=ActionStatus.PLANNED,
            )
