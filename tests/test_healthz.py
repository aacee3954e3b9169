from unittest import mock

from django.urls import reverse


def test_healthz_reports_database_and_broker(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_answers_503_when_broker_is_down(client, db):
    with mock.patch(
        "benchmarking.views.celery_app.connection_for_write", side_effect=ConnectionError
    ):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"
    assert response.json()["database"] == "ok"


def test_healthz_answers_503_when_database_is_down(client, db):
    with mock.patch("benchmarking.views.connection.cursor", side_effect=Exception("down")):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_livez_answers_without_touching_the_database(client):
    response = client.get(reverse("livez"))  # no db fixture: a query would raise

    assert (response.status_code, response.content) == (200, b"ok")
    assert "no-cache" in response["Cache-Control"]
