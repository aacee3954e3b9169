import datetime
from decimal import Decimal
from io import BytesIO

import time_machine
from django.urls import reverse
from openpyxl import Workbook

from keyfigures import services
from keyfigures.models import KpiValue, OrganisationKpi
from plans.models import ImprovementAction

from ..conftest import client_for
from .conftest import DATA_URL, kpis_url, upload_values

NOW = datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC)


def test_key_person_searches_adds_fetches_sets_threshold_and_makes_an_action(
    kolada_ok, world, uppsala
):
    client = client_for(world.key_person)
    url = kpis_url(world, uppsala)

    page = client.get(url, {"q": "sjukfrånvaro"}).content.decode()
    client.post(
        reverse(
            "keyfigures:kpi_add",
            kwargs={"programme_pk": world.programme.pk, "organisation_pk": uppsala.pk},
        ),
        {"code": "N00945"},
    )
    chosen = OrganisationKpi.objects.get()
    with time_machine.travel(NOW, tick=False):
        fetched = client.post(
            reverse("keyfigures:kpi_fetch", kwargs={"pk": chosen.pk}), follow=True
        ).content.decode()
    client.post(
        reverse("keyfigures:threshold", kwargs={"pk": chosen.pk}),
        {"threshold_kind": "relative", "threshold": "20", "motivation": "Mål i budgeten"},
    )
    flagged = client.get(url).content.decode()
    client.post(
        reverse(
            "plans:action_create",
            kwargs={"programme_pk": world.programme.pk, "organisation_pk": uppsala.pk},
        )
        + f"?kpi={chosen.pk}",
        {"title": "Minska sjukfrånvaron bland kvinnor", "area": "key_figure", "status": "planned"},
    )

    assert "N00945" in page and "Sjukfrånvaro, kommunalt anställda, andel (%)" in page
    assert "Värdena för N00945" in fetched
    assert "2024: Kolada saknar värde för män." in fetched
    assert KpiValue.objects.filter(organisation=uppsala).count() == 14
    assert "Utanför gränsvärdet" in flagged
    assert f"?kpi={chosen.pk}" in flagged
    action = ImprovementAction.objects.get()
    assert action.organisation_kpi == chosen
    assert action.area == "key_figure"


def test_kolada_error_on_fetch_is_shown_and_values_are_kept(chosen, http, world):
    services.save_year(chosen, year=2023, women=Decimal("9"), men=Decimal("5"), total=None)
    http.replace("GET", DATA_URL, status=500)

    with time_machine.travel(NOW, tick=False):
        response = client_for(world.key_person).post(
            reverse("keyfigures:kpi_fetch", kwargs={"pk": chosen.pk}), follow=True
        )

    assert "Kolada har ett fel på sin sida (fel 500)." in response.content.decode()
    assert KpiValue.objects.count() == 2


def test_search_error_is_shown_on_the_page(http, world, uppsala):
    http.get("https://api.kolada.se/v2/kpi?title=skola", status=503)

    page = client_for(world.key_person).get(kpis_url(world, uppsala), {"q": "skola"})

    assert "Kolada har ett fel på sin sida (fel 503)." in page.content.decode()


def test_participants_see_but_cannot_change_key_figures(chosen, world, uppsala):
    client = client_for(world.participant)

    page = client.get(kpis_url(world, uppsala))
    fetch = client.post(reverse("keyfigures:kpi_fetch", kwargs={"pk": chosen.pk}))

    assert page.status_code == 200
    assert "Hämta från Kolada" not in page.content.decode()
    assert fetch.status_code == 403


def test_other_cluster_gets_404(chosen, world, uppsala):
    client = client_for(world.other_participant)

    assert client.get(kpis_url(world, uppsala)).status_code == 404
    assert client.get(reverse("keyfigures:threshold", kwargs={"pk": chosen.pk})).status_code == 404


def test_values_by_hand_accept_swedish_decimals(chosen, world):
    response = client_for(world.key_person).post(
        reverse("keyfigures:year_values", kwargs={"pk": chosen.pk}),
        {"year": "2025", "women": "7,25", "men": "4,5", "total": ""},
    )

    assert response.status_code == 302
    assert KpiValue.objects.get(year=2025, gender="K").value == Decimal("7.2500")
    assert not KpiValue.objects.filter(year=2025, gender="T").exists()


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_values_upload_from_excel(chosen, world, uppsala):
    content = _xlsx(
        [["Nyckeltal", "År", "Kvinnor", "Män", "Totalt"], ["N00945", 2025, 8.1, 5.0, 7.4]]
    )

    response = upload_values(client_for(world.key_person), world, uppsala, "varden.xlsx", content)

    assert response.status_code == 302
    assert KpiValue.objects.get(year=2025, gender="M").value == Decimal("5.0000")


def test_values_upload_from_csv_with_semicolons_and_decimal_commas(chosen, world, uppsala):
    content = "Nyckeltal;År;Kvinnor;Män;Totalt\nN00945;2025;8,1;5,0;7,4\n".encode()

    upload_values(client_for(world.key_person), world, uppsala, "varden.csv", content)

    assert KpiValue.objects.get(year=2025, gender="K").value == Decimal("8.1000")


def test_values_upload_with_errors_names_rows_and_saves_nothing(chosen, world, uppsala):
    content = _xlsx(
        [
            ["Nyckeltal", "År", "Kvinnor", "Män"],
            ["N00945", 2025, 8.1, 5.0],
            ["N99999", 2025, 1, 2],
            ["N00945", "förra året", 1, 2],
            ["N00945", 2024, "många", 2],
        ]
    )

    response = upload_values(client_for(world.key_person), world, uppsala, "varden.xlsx", content)

    html = response.content.decode()
    assert "Rad 3: N99999 är inte ett av organisationens nyckeltal." in html
    assert "Rad 4: ”förra året” är inte ett år." in html
    assert "Rad 5: ”många” är inte ett tal som kan sparas." in html
    assert not KpiValue.objects.exists()


def test_cluster_page_puts_organisations_side_by_side_in_a_chart(world):
    from keyfigures.models import Kpi

    kpi = Kpi.objects.create(code="N00945", title="Sjukfrånvaro", unit="%")
    for organisation, women in ((world.mentor, "9.1"), (world.benchmarking_organisation, "7.0")):
        chosen = OrganisationKpi.objects.create(
            programme=world.programme, organisation=organisation, kpi=kpi
        )
        services.save_year(chosen, year=2024, women=Decimal(women), men=Decimal("5.5"), total=None)

    page = (
        client_for(world.participant)
        .get(reverse("keyfigures:cluster_kpis", kwargs={"pk": world.cluster.pk}))
        .content.decode()
    )

    assert 'aria-describedby="shared-table-N00945"' in page
    assert f"{world.mentor.name} (2024)" in page
    assert f"{world.benchmarking_organisation.name} (2024)" in page


def _remove_url(organisation_kpi):
    return reverse("keyfigures:kpi_remove", kwargs={"pk": organisation_kpi.pk})


def test_removing_a_kolada_key_figure_asks_first_and_keeps_its_values(chosen, world, uppsala):
    from plans import services as plan_services

    services.save_year(chosen, year=2024, women=Decimal("9.1"), men=Decimal("5.5"), total=None)
    action = plan_services.create_action(
        world.programme, uppsala, user=None, organisation_kpi=chosen, title="Analysera"
    )
    client = client_for(world.key_person)

    page = client.get(_remove_url(chosen)).content.decode()
    assert OrganisationKpi.objects.filter(pk=chosen.pk).exists()  # asking removes nothing
    response = client.post(_remove_url(chosen))

    assert "Ta bort N00945 från listan?" in page
    assert "Dess 2 värden sparas" in page
    assert "1 förbättringsåtgärd hänvisar till det" in page
    assert response.status_code == 302
    assert not OrganisationKpi.objects.filter(pk=chosen.pk).exists()
    assert KpiValue.objects.filter(kpi=chosen.kpi, organisation=uppsala).count() == 2
    action.refresh_from_db()
    assert action.organisation_kpi is None and action.title == "Analysera"


def test_removing_an_own_key_figure_deletes_its_values_after_saying_so(world, uppsala):
    own = services.add_own_kpi(world.programme, uppsala, title="Andel kvinnor i nämnder")
    services.save_year(own, year=2024, women=Decimal("40"), men=Decimal("60"), total=None)
    client = client_for(world.key_person)

    page = client.get(_remove_url(own)).content.decode()
    client.post(_remove_url(own))

    assert "Dess 2 värden raderas" in page
    assert not KpiValue.objects.filter(organisation=uppsala).exists()
    assert not type(own.kpi).objects.filter(pk=own.kpi_id).exists()


def test_a_participant_cannot_open_the_removal_page(chosen, world):
    assert client_for(world.participant).get(_remove_url(chosen)).status_code == 403
