import pytest
import requests

from keyfigures import kolada

from .conftest import DATA_URL, KOLADA, recording


@pytest.fixture(autouse=True)
def english():
    """Messages read in English here; the views' tests check them in Swedish."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_search_reads_the_catalogue(kolada_ok):
    found = kolada.search_kpis("sjukfrånvaro")

    assert [k.id for k in found] == ["N00945", "N00941", "N00959"]
    assert found[0].title == "Sjukfrånvaro, kommunalt anställda, andel (%)"
    assert found[0].is_divided_by_gender is True
    assert found[2].is_divided_by_gender is False


def test_search_is_cached(kolada_ok):
    kolada.search_kpis("sjukfrånvaro")
    kolada.search_kpis("sjukfrånvaro")

    assert len(kolada_ok.calls) == 1


def test_values_follow_next_page_and_keep_a_missing_value_as_none(kolada_ok):
    points = kolada.get_values("N00945", "0380", range(2020, 2026))

    assert {(p.year, p.gender): p.value for p in points}[(2024, "M")] is None
    assert {(p.year, p.gender): p.value for p in points}[(2020, "K")] == 8.9
    assert sorted({p.year for p in points}) == [2020, 2021, 2022, 2023, 2024]
    assert len(kolada_ok.calls) == 2


def test_men_written_as_f_are_read_as_men(http):
    http.get(
        f"{KOLADA}data/kpi/N00945/municipality/0380/year/2024",
        json=recording("data_N00945_0380_men_as_F"),
    )

    points = kolada.get_values("N00945", "0380", [2024])

    assert {p.gender: p.value for p in points} == {"K": 8.7, "M": 5.2, "T": 8.0}


def test_timeout_is_retried_then_explained(http):
    http.get(DATA_URL, body=requests.Timeout())

    with pytest.raises(kolada.KoladaError, match="did not answer in time"):
        kolada.get_values("N00945", "0380", range(2020, 2026))

    assert len(http.calls) == kolada.RETRIES + 1


def test_server_error_is_retried_and_a_later_success_counts(http):
    http.get(DATA_URL, status=502)
    http.get(DATA_URL, json=recording("data_N00945_0380_men_as_F"))

    points = kolada.get_values("N00945", "0380", range(2020, 2026))

    assert len(points) == 3


def test_server_error_that_persists_says_so(http):
    http.get(DATA_URL, status=500)

    with pytest.raises(kolada.KoladaError, match="problem on its side"):
        kolada.get_values("N00945", "0380", range(2020, 2026))


def test_unknown_kpi_is_explained(http):
    http.get(f"{KOLADA}kpi/X99999", json=recording("kpi_unknown"))

    with pytest.raises(kolada.KoladaError, match="no key figure with the id X99999"):
        kolada.get_kpi("X99999")


def test_bad_request_is_not_retried(http):
    http.get(f"{KOLADA}kpi/N00945", status=400)

    with pytest.raises(kolada.KoladaError, match="refused the question"):
        kolada.get_kpi("N00945")

    assert len(http.calls) == 1


def test_nothing_reaches_the_network_in_tests():
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{KOLADA}kpi/N00945", timeout=1)
