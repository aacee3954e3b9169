"""A real Celery worker on Redis sends an outbox mail; the effect is read back from PostgreSQL."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from outbox.enums import MailPurpose, MailState
from outbox.models import OutgoingMail

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def worker(redis_url, postgres, tmp_path):
    """A worker process on its own queue, pointed at this test's database."""
    db = settings.DATABASES["default"]
    queue = f"test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarking.settings",
        "SECRET_KEY": "worker-test-key",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"filemail://{tmp_path}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        # Tasks the worker queues itself (a dispatch queues sends) stay on its own queue.
        "CELERY_QUEUE": queue,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "benchmarking",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield queue, tmp_path
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    print(output)


@pytest.mark.celery_worker
def test_worker_on_redis_sends_outbox_mail_recorded_in_postgres(worker, redis_url, not_eager):
    from benchmarking.celery import app
    from outbox.tasks import task_send_mail

    queue, mail_dir = worker
    mail = OutgoingMail.objects.create(
        purpose=MailPurpose.LOGIN_LINK,
        to_email="karin@uppsala.example",
        subject="Inloggningslänk",
        body_text="Hej",
    )
    with app.connection_for_write(redis_url) as conn:
        task_send_mail.apply_async(kwargs={"mail_id": mail.pk}, queue=queue, connection=conn)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        mail.refresh_from_db()
        if mail.state == MailState.SENT:
            break
        time.sleep(0.25)

    assert mail.state == MailState.SENT
    assert mail.sent_at is not None
    written = "".join(p.read_text() for p in mail_dir.glob("*.log"))
    assert "karin@uppsala.example" in written


@pytest.mark.celery_worker
def test_beat_job_twice_on_the_real_worker_sends_each_invitation_once(
    worker, redis_url, not_eager, world
):
    import datetime

    from benchmarking.celery import app
    from meetings import mailings, services
    from meetings.enums import MeetingKind
    from meetings.tasks import task_dispatch_due

    queue, mail_dir = worker
    meeting = world.cluster.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    services.plan_meeting(
        meeting,
        date=datetime.date.today() + datetime.timedelta(days=10),
        start_time=None,
        end_time=None,
        host=world.mentor,
        venue="Stadshuset",
        venue_address="",
        remote_link="",
        accessibility=[],
    )
    expected = len(mailings.participants(meeting)) + len(mailings.project_managers(meeting))
    with app.connection_for_write(redis_url) as conn:
        for _ in range(2):
            task_dispatch_due.apply_async(queue=queue, connection=conn)

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if OutgoingMail.objects.filter(state=MailState.SENT).count() >= expected:
            break
        time.sleep(0.5)
    time.sleep(2)  # anything sent twice would show up now

    assert OutgoingMail.objects.count() == expected
    assert OutgoingMail.objects.filter(state=MailState.SENT).count() == expected
    written = "".join(p.read_text() for p in mail_dir.glob("*.log"))
    assert written.count("Content-Type: text/calendar") == expected
