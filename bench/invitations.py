"""Benchmark: invitations for 2,000 participants delivered to a local SMTP sink.

Reports the wall time of one `dispatch_due` run (rows, rendering, sending) and how many
times the agenda PDF was rendered (target: <= 60 s, renders == meetings). Run with
`make bench`; uses a throw-away SQLite database and an in-process aiosmtpd server.
"""

import datetime
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp()
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    PORT = probe.getsockname()[1]
os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{PORT}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarking.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from meetings import mailings, services  # noqa: E402
from meetings.enums import MeetingKind  # noqa: E402
from outbox.models import OutgoingMail  # noqa: E402
from outbox.tasks import task_send_mail  # noqa: E402
from programmes import services as programme_services  # noqa: E402
from programmes.enums import Role  # noqa: E402
from programmes.models import Assignment, Organisation, Programme  # noqa: E402

CLUSTERS, ORGANISATIONS, PEOPLE = int(os.environ.get("BENCH_CLUSTERS", 20)), 5, 20  # 2,000 people


# The sink runs in its own process, as a mail server would; it prints how many messages
# it received when its standard input closes.
SINK = f"""
import sys
from aiosmtpd.controller import Controller
class Sink:
    received = 0
    async def handle_DATA(self, server, session, envelope):
        Sink.received += 1
        return "250 OK"
controller = Controller(Sink(), hostname="127.0.0.1", port={PORT})
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
print(Sink.received, flush=True)
"""


call_command("migrate", verbosity=0)
programme = Programme.objects.create(
    name="Benchmark", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2028, 1, 1)
)
User = get_user_model()
manager = User.objects.create_user(email="pm@skr.example", full_name="Projektledare")
Assignment.objects.create(programme=programme, person=manager, role=Role.PROJECT_MANAGER)
meetings = []
day = timezone.localdate() + datetime.timedelta(days=10)
for c in range(CLUSTERS):
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Kommun {c}-{o}", kind="municipality") for o in range(ORGANISATIONS)
    )
    cluster = programme_services.create_cluster(
        programme=programme, name=f"Kluster {c}", mentor=orgs[0], organisations=orgs[1:]
    )
    people = User.objects.bulk_create(
        User(email=f"p{c}-{o}-{n}@kommun.example", full_name=f"Person {c}-{o}-{n}")
        for o in range(ORGANISATIONS)
        for n in range(PEOPLE)
    )
    Assignment.objects.bulk_create(
        Assignment(
            programme=programme,
            person=person,
            organisation=orgs[i // PEOPLE],
            role=[Role.KEY_PERSON, Role.ELECTED_OFFICIAL, Role.MANAGER][i % 3],
        )
        for i, person in enumerate(people)
    )
    meeting = cluster.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    services.plan_meeting(
        meeting,
        date=day,
        start_time=None,
        end_time=None,
        host=orgs[0],
        venue="Stadshuset",
        venue_address="",
        remote_link="",
        accessibility=["hearing_loop"],
    )
    meetings.append(meeting)


def deliver(mail_ids):
    """One Celery worker process: runs the send task for each mail, one after the other."""
    connections.close_all()
    for mail_id in mail_ids:
        task_send_mail(mail_id=mail_id)
    connections.close_all()


sink = subprocess.Popen(  # noqa: S603 - our own interpreter and script
    [sys.executable, "-c", SINK], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
)
assert sink.stdout.readline().strip() == "ready"
try:
    # The periodic job: rows, registrations, one render per meeting. Its tasks are not sent
    # to a broker here; the worker processes below run them, as a worker with --concurrency
    # equal to the machine's cores does.
    with (
        mock.patch("meetings.mailings.agenda_pdf", wraps=mailings.agenda_pdf) as renders,
        mock.patch("outbox.tasks.task_send_mail.delay"),
    ):
        start = time.perf_counter()
        created = mailings.dispatch_due()
        dispatched = time.perf_counter() - start
    mail_ids = list(OutgoingMail.objects.order_by("pk").values_list("pk", flat=True))
    connections.close_all()
    workers = os.cpu_count() or 2
    context = multiprocessing.get_context("fork")
    processes = [
        context.Process(target=deliver, args=(mail_ids[i::workers],)) for i in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - start
finally:
    received, _ = sink.communicate("", timeout=60)
sent = OutgoingMail.objects.filter(state="sent").count()

participants = CLUSTERS * ORGANISATIONS * PEOPLE
print(
    f"invitations: {created} mails for {participants} participants + {len(meetings)} SKR "
    f"copies; dispatch {dispatched:.1f} s, then {workers} worker processes delivered "
    f"{sent} ({received.strip()} received by the SMTP sink): {elapsed:.1f} s in all "
    f"({created / elapsed:.0f} mails/s); agenda PDF renders: {renders.call_count} for "
    f"{len(meetings)} meetings (target <= 60 s, renders == meetings)"
)
