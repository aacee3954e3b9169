"""Every mail is delivered, through crashed workers, a mail server outage and a dispatcher
without Redis: real Celery workers and beat on Redis, the outbox in PostgreSQL, and an SMTP
server that counts what it accepted by Message-ID.

None arrives twice, except a mail the server had accepted in the instant its worker was
killed (see the docstring of ``outbox/services.py`` for why that one cannot be avoided).
"""

import os
import signal

import pytest

from outbox.enums import MailState
from outbox.models import OutgoingMail
from tests.factories import UserFactory

from .conftest import all_sent, children, free_port, make_mails, states, wait_until

pytestmark = pytest.mark.reliability


def _in_flight() -> set[str]:
    """Message-IDs of the mails being sent right now."""
    return set(
        OutgoingMail.objects.filter(state=MailState.SENDING).values_list("message_id", flat=True)
    )


def _sent_count() -> int:
    return OutgoingMail.objects.filter(state=MailState.SENT).count()


BATCH = 500


def test_worker_killed_in_the_middle_of_a_batch_loses_no_mail(processes, smtp_server):
    smtp_server.start()
    mails = make_mails(BATCH)
    crashing = processes.worker("crashing", concurrency=2)
    processes.worker("steady")
    processes.beat()
    wait_until(lambda: len(children(crashing)) == 2, timeout=60, what="the pool")

    processes.publish(mails)
    wait_until(lambda: _sent_count() >= 60, timeout=60, what="60 mails sent")
    # The OOM killer takes one pool process; Celery gives its task back at once.
    os.kill(children(crashing)[0], signal.SIGKILL)
    in_flight = _in_flight()
    wait_until(lambda: _sent_count() >= 250, timeout=90, what="250 mails sent")
    # The machine goes, with the worker and its pool, in the worst instant: the server has
    # each pool process's mail and is about to say "250".
    smtp_server.hold()
    wait_until(lambda: len(smtp_server.held) == 3, timeout=30, what="all three senders at the 250")
    accepted_at_crash = set(smtp_server.held)
    os.killpg(crashing.pid, signal.SIGKILL)
    crashing.wait()
    smtp_server.release()
    processes.worker("restarted")  # as a supervisor would
    wait_until(lambda: all_sent(BATCH), timeout=180, what=f"all {BATCH} sent")

    received = smtp_server.received
    twice = {message_id for message_id, times in received.items() if times > 1}
    print(f"accepted {received.total()} for {BATCH} mails; twice: {sorted(twice)}")
    assert set(received) == {mail.message_id for mail in OutgoingMail.objects.all()}
    assert max(received.values()) == 2
    # The pool's two mails the server had accepted as it went, sent again with their
    # Message-IDs; perhaps the mail of the process the OOM killer took; no other.
    assert len(twice & accepted_at_crash) == 2
    assert twice <= accepted_at_crash | in_flight
    assert len(twice) <= 3
    assert not OutgoingMail.objects.filter(state=MailState.SENDING).exists()


def test_mail_server_down_longer_than_the_backoff_ladder_loses_no_mail(processes, smtp_server):
    # Six attempts 0.25 s, 0.5 s, 1 s, 1 s, ... apart end within 5 s: the old ladder's length.
    old_ladder_attempts = 6
    mails = make_mails(30)
    processes.worker("first")
    processes.worker("second")
    processes.beat()

    processes.publish(mails)  # the server is down
    wait_until(
        lambda: not OutgoingMail.objects.filter(attempts__lte=old_ladder_attempts).exists(),
        timeout=60,
        what="every mail tried more often than the old ladder allowed",
    )
    during_outage = states()
    smtp_server.start()
    wait_until(lambda: all_sent(30), timeout=60, what="all 30 sent")

    print(f"during the outage: {during_outage}")
    assert MailState.FAILED not in during_outage
    assert during_outage.get(MailState.RETRYING, 0) > 0
    received = smtp_server.received
    assert sorted(received.values()) == [1] * 30
    assert set(received) == {mail.message_id for mail in OutgoingMail.objects.all()}
    assert not OutgoingMail.objects.filter(state=MailState.SENDING).exists()


def test_dispatcher_without_redis_leaves_its_mails_for_the_periodic_job(processes, smtp_server):
    processes.env["OUTBOX_QUEUED_GRACE_SECONDS"] = "3"
    smtp_server.start()
    people = [person.pk for person in UserFactory.create_batch(60)]
    processes.worker("worker")
    processes.beat()

    cut_off = processes.dispatch(people[:30], redis_url=f"redis://127.0.0.1:{free_port()}/0")
    connected = processes.dispatch(people[30:], redis_url=processes.redis_url)
    cut_off_log, connected_log = (p.communicate(timeout=120)[1] for p in (cut_off, connected))
    wait_until(lambda: all_sent(60), timeout=60, what="all 60 sent")

    assert (cut_off.returncode, connected.returncode) == (0, 0), cut_off_log
    # The broker refused the first mail; the other 29 did not wait on it.
    assert "30 mails stay queued for the periodic job" in cut_off_log
    assert "stay queued" not in connected_log
    received = smtp_server.received
    assert sorted(received.values()) == [1] * 60
    assert set(received) == {mail.message_id for mail in OutgoingMail.objects.all()}
    assert not OutgoingMail.objects.filter(state=MailState.SENDING).exists()
