import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from meetings.models import Meeting
from programmes.models import Assignment, Cluster, Organisation

DEMO = json.loads((Path(settings.BASE_DIR) / "fixtures" / "demo.json").read_text())


def _counts():
    return [m.objects.count() for m in (User, Organisation, Cluster, Assignment, Meeting)]


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")

    assert _counts() == first
    assert first[:3] == [2 + 9 * 3, 9, 2]


def test_demo_login_sees_own_cluster_and_gets_404_on_the_other(client, db):
    call_command("seed_demo")
    malardalen = Cluster.objects.get(name="Mälardalen")
    norrland = Cluster.objects.get(name="Norrland")

    client.post(
        reverse("accounts:login"),
        {"username": "linnea.oberg@umea.example", "password": DEMO["password"]},
    )
    own = client.get(norrland.get_absolute_url())
    other = client.get(malardalen.get_absolute_url())

    assert own.status_code == 200
    assert other.status_code == 404


def test_demo_organisations_carry_real_kolada_ids(db):
    call_command("seed_demo")

    assert Organisation.objects.get(name="Uppsala kommun").kolada_id == "0380"
    assert Organisation.objects.get(name="Region Västerbotten").kolada_id == "0024"
