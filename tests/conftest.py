import os
from dataclasses import dataclass

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from programmes.enums import Role

from .factories import AssignmentFactory, ProgrammeFactory, UserFactory, make_cluster

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# In CI the property tests draw the same examples on every run, so a submission never fails
# on an input Hypothesis happened to draw that day; elsewhere each run draws new ones, and a
# failing example is kept in .hypothesis/ and tried first next time.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if IN_CI:
    hypothesis_settings.load_profile("ci")


def require_service(available: bool, what: str) -> None:
    """Skip a test that needs a real service when it is missing; in CI, fail instead."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available.")
    pytest.skip(f"{what} is not available here.")


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def redis_url():
    """The real Redis of REDIS_URL (tests with real Celery workers)."""
    url = os.environ.get("REDIS_URL", "")
    require_service(bool(url) and _redis_answers(url), "Redis (REDIS_URL)")
    return url


@pytest.fixture
def postgres(transactional_db):
    """A real PostgreSQL, committed to, so that other processes see the test's rows."""
    from django.db import connection

    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


@pytest.fixture
def not_eager():
    from benchmarking.celery import app

    app.conf.update(task_always_eager=False)
    yield
    app.conf.update(task_always_eager=True)


def convert_with_libreoffice(tmp_path, files: dict[str, bytes]) -> dict[str, bytes]:
    """Write the files, convert them to PDF with LibreOffice headless, return the PDFs by the
    original name. Fails in CI when LibreOffice is missing (skips elsewhere)."""
    import shutil
    import subprocess

    require_service(shutil.which("soffice") is not None, "LibreOffice (soffice)")
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    out = tmp_path / "converted"
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *[str(tmp_path / name) for name in files],
        ],
        capture_output=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {name: (out / (name.rsplit(".", 1)[0] + ".pdf")).read_bytes() for name in files}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def http(monkeypatch):
    """No test reaches the network: every HTTP call through ``requests`` must be one a test
    registered here (recorded Kolada responses), else it fails with ConnectionError."""
    import responses
    from django.core.cache import cache

    from keyfigures import kolada

    monkeypatch.setattr(kolada, "BACKOFF_SECONDS", 0)
    cache.clear()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@dataclass
class World:
    """One programme with two clusters and a person in each role the access rules know."""

    programme: object
    cluster: object
    other_cluster: object
    project_manager: object
    key_person: object
    participant: object
    other_participant: object

    @property
    def mentor(self):
        return self.cluster.memberships.get(is_mentor=True).organisation

    @property
    def benchmarking_organisation(self):
        return self.cluster.memberships.get(is_mentor=False).organisation

    def user(self, role: str):
        return {
            "anonymous": None,
            "other_cluster_participant": self.other_participant,
            "participant": self.participant,
            "key_person": self.key_person,
            "project_manager": self.project_manager,
        }[role]


@pytest.fixture
def world(db) -> World:
    programme = ProgrammeFactory()
    cluster = make_cluster(programme, organisations=2, name="Mälardalen")
    other = make_cluster(programme, organisations=2, name="Norrland")
    mentor = cluster.memberships.get(is_mentor=True).organisation
    member = cluster.memberships.get(is_mentor=False).organisation
    other_org = other.memberships.get(is_mentor=True).organisation
    pm = UserFactory(full_name="Eva Projektledare")
    AssignmentFactory(programme=programme, person=pm, role=Role.PROJECT_MANAGER)
    key_person = UserFactory(full_name="Karin Nyckelperson")
    AssignmentFactory(
        programme=programme, person=key_person, organisation=mentor, role=Role.KEY_PERSON
    )
    participant = UserFactory(full_name="Anders Förtroendevald")
    AssignmentFactory(
        programme=programme,
        person=participant,
        organisation=member,
        role=Role.ELECTED_OFFICIAL,
    )
    other_participant = UserFactory(full_name="Olof Annatkluster")
    AssignmentFactory(
        programme=programme, person=other_participant, organisation=other_org, role=Role.MANAGER
    )
    return World(programme, cluster, other, pm, key_person, participant, other_participant)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
