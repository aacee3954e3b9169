import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keyfigures import services

RECORDINGS = Path(__file__).parent / "recordings"
KOLADA = "https://api.kolada.se/v2/"
DATA_URL = f"{KOLADA}data/kpi/N00945/municipality/0380/year/2020,2021,2022,2023,2024,2025"


def recording(name: str) -> dict:
    return json.loads((RECORDINGS / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture
def kolada_ok(http):
    """Kolada answers as recorded: the catalogue search, N00945, and two pages of data."""
    http.get(f"{KOLADA}kpi?title=sjukfr%C3%A5nvaro", json=recording("kpi_search_sjukfranvaro"))
    http.get(f"{KOLADA}kpi/N00945", json=recording("kpi_N00945"))
    http.get(DATA_URL, json=recording("data_N00945_0380_page1"))
    http.get(
        f"{DATA_URL}?page=2&per_page=3",
        json=recording("data_N00945_0380_page2"),
    )
    return http


@pytest.fixture
def uppsala(world):
    """The world's mentor organisation with Uppsala's Kolada id."""
    organisation = world.mentor
    organisation.kolada_id = "0380"
    organisation.save()
    return organisation


@pytest.fixture
def chosen(kolada_ok, world, uppsala):
    """N00945 on Uppsala's list of key figures."""
    return services.add_kolada_kpi(world.programme, uppsala, "N00945")


def kpis_url(world, organisation):
    return reverse(
        "keyfigures:organisation_kpis",
        kwargs={"programme_pk": world.programme.pk, "organisation_pk": organisation.pk},
    )


def upload_values(client, world, organisation, name, content):
    return client.post(
        reverse(
            "keyfigures:values_upload",
            kwargs={"programme_pk": world.programme.pk, "organisation_pk": organisation.pk},
        ),
        {"file": SimpleUploadedFile(name, content)},
    )
