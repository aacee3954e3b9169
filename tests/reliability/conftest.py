"""Real processes for the reliability tests: Celery workers and beat on Redis, the outbox in
PostgreSQL, and an SMTP server (aiosmtpd) on a free localhost port that counts what it has
accepted by Message-ID.

Each test has its own queue and its own test database, so it runs beside the rest of the
suite (``pytest -n 2``). The processes' outbox timings are seconds instead of minutes
(``process_settings.py``); a test changes them in ``Processes.env`` before it starts any.
"""

import asyncio
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from email.parser import BytesHeaderParser
from pathlib import Path

import pytest
from django.conf import settings

from outbox.enums import MailPurpose, MailState
from outbox.models import OutgoingMail

ROOT = Path(__file__).resolve().parent.parent.parent
TIMINGS = {
    "OUTBOX_LEASE_SECONDS": "10",
    "OUTBOX_RETRY_FIRST_SECONDS": "0.25",
    "OUTBOX_RETRY_MAX_SECONDS": "1",
    "OUTBOX_RETRY_BUDGET_SECONDS": "120",
    # About as long as a test's batch takes on a busy machine: the periodic job seldom hands
    # on a mail whose task is only waiting its turn (harmless, but work).
    "OUTBOX_QUEUED_GRACE_SECONDS": "30",
    "OUTBOX_SWEEP_SECONDS": "1",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"Gave up after {timeout} s waiting for {what}; the outbox: {states()}")


def make_mails(count: int) -> list[OutgoingMail]:
    return OutgoingMail.objects.bulk_create(
        OutgoingMail(
            purpose=MailPurpose.LOGIN_LINK,
            to_email=f"person{n}@kommun.example",
            subject=f"Inloggningslänk {n}",
            body_text="Hej",
        )
        for n in range(count)
    )


def states() -> dict[str, int]:
    return dict(Counter(OutgoingMail.objects.values_list("state", flat=True)))


def all_sent(count: int) -> bool:
    return states() == {MailState.SENT: count}


class SmtpServer:
    """An SMTP server on a fixed port that can go down and come back, and hold its answer.

    ``received`` counts the messages it accepted by Message-ID: accepted means it had the
    whole message, whether or not the sender lived to read the "250". While it holds, every
    message waits for its "250" in ``held`` until ``release``.
    """

    def __init__(self, *, delay: float = 0.0):
        self.port = free_port()
        self.delay = delay
        self.received: Counter[str] = Counter()
        self.held: list[str] = []
        self._holding = threading.Event()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message_id = BytesHeaderParser().parsebytes(envelope.content)["Message-ID"]
        self.received[message_id] += 1
        if self._holding.is_set():
            self.held.append(message_id)
            while self._holding.is_set():
                await asyncio.sleep(0.01)
        if self.delay:
            await asyncio.sleep(self.delay)  # a server that takes its time to answer
        return "250 OK"

    def hold(self) -> None:
        self._holding.set()

    def release(self) -> None:
        self._holding.clear()

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(
            self, hostname="127.0.0.1", port=self.port, server_hostname="localhost"
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


class Processes:
    """Workers, beat and dispatchers for one test: its queue, its database, its SMTP server."""

    def __init__(self, *, redis_url: str, smtp_port: int, log_dir: Path):
        db = settings.DATABASES["default"]
        self.queue = f"test-reliability-{uuid.uuid4().hex}"
        self.redis_url = redis_url
        self.log_dir = log_dir
        self.running: list[tuple[str, subprocess.Popen, object]] = []
        self.env = {
            **os.environ,
            **TIMINGS,
            "DJANGO_SETTINGS_MODULE": "tests.reliability.process_settings",
            "SECRET_KEY": "reliability-test-key",
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
                f"{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "REDIS_URL": redis_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            # Everything the processes queue (beat's job, a retry) stays on this test's queue.
            "CELERY_QUEUE": self.queue,
            "LOG_LEVEL": "INFO",
        }

    def _start(self, name: str, args: list[str]) -> subprocess.Popen:
        """A Celery process in a process group of its own (``os.killpg`` kills it with its
        pool, as a crashing machine would), its output in ``<name>.log``."""
        log = (self.log_dir / f"{name}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "benchmarking", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running.append((name, process, log))
        return process

    def worker(self, name: str, *, concurrency: int = 0) -> subprocess.Popen:
        """A worker; with ``concurrency``, a prefork pool of that many processes."""
        pool = ["--pool", "prefork", "--concurrency", str(concurrency)] if concurrency else []
        return self._start(
            name,
            [
                "worker",
                *(pool or ["--pool", "solo"]),
                "--queues",
                self.queue,
                "--hostname",
                f"{name}-{self.queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "INFO",
            ],
        )

    def beat(self) -> subprocess.Popen:
        return self._start(
            "beat", ["beat", "--schedule", str(self.log_dir / "beat-schedule"), "-l", "INFO"]
        )

    def dispatch(self, person_ids: list[int], *, redis_url: str) -> subprocess.Popen:
        """A dispatcher process with ``redis_url`` as its broker and cache; its log is on
        stderr."""
        return subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.dispatch", *map(str, person_ids)],
            cwd=ROOT,
            env={**self.env, "REDIS_URL": redis_url},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def publish(self, mails: list[OutgoingMail]) -> None:
        """Hand mails to the workers through the real broker, as ``queue_mail`` does."""
        from benchmarking.celery import app
        from outbox.tasks import task_send_mail

        with app.connection_for_write(self.redis_url) as conn:
            for mail in mails:
                task_send_mail.apply_async(
                    kwargs={"mail_id": mail.pk}, queue=self.queue, connection=conn
                )

    def stop(self) -> None:
        for _name, process, _log in self.running:
            if process.poll() is None:
                process.terminate()
        for name, process, log in self.running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()
            print(f"--- {name} (exit {process.returncode}): {self.log_dir / name}.log")


def children(process: subprocess.Popen) -> list[int]:
    """The process ids of a worker's pool processes (forked by any of its threads)."""
    return [
        int(pid)
        for path in Path(f"/proc/{process.pid}/task").glob("*/children")
        for pid in path.read_text().split()
    ]


@pytest.fixture
def smtp_server():
    mail_log = logging.getLogger("mail.log")  # aiosmtpd's: a line per connection
    level = mail_log.level
    mail_log.setLevel(logging.WARNING)
    server = SmtpServer(delay=0.005)
    yield server
    server.stop()
    mail_log.setLevel(level)


@pytest.fixture
def processes(redis_url, postgres, not_eager, smtp_server, tmp_path):
    import redis

    started = Processes(redis_url=redis_url, smtp_port=smtp_server.port, log_dir=tmp_path)
    yield started
    started.stop()
    redis.Redis.from_url(redis_url).delete(started.queue)
