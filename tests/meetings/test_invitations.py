import datetime
import email
import smtplib
import threading
from email import policy
from unittest import mock

import pytest
import time_machine
from django.db import connection
from icalendar import Calendar

from meetings import mailings, services
from meetings.enums import MeetingKind
from meetings.models import Registration
from outbox.enums import MailPurpose, MailState
from outbox.models import OutgoingMail
from outbox.tasks import task_send_mail

from ..conftest import require_service

STOCKHOLM = datetime.timezone(datetime.timedelta(hours=1))
MEETING_START = datetime.datetime(2027, 2, 16, 9, 30, tzinfo=STOCKHOLM)
NOW = datetime.datetime(2027, 1, 20, 8, 0, tzinfo=datetime.UTC)  # 27 days before
INVITATION_DAY = MEETING_START - datetime.timedelta(days=14)


@pytest.fixture
def meeting(world):
    meeting = world.cluster.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    with time_machine.travel(NOW, tick=False):
        services.plan_meeting(
            meeting,
            date=MEETING_START.date(),
            start_time=datetime.time(9, 30),
            end_time=datetime.time(16, 0),
            host=world.mentor,
            venue="Stadshuset",
            venue_address="Fyristorg 1",
            remote_link="https://meet.example.se/bm1",
            accessibility=["hearing_loop"],
        )
    meeting.refresh_from_db()
    return meeting


def _expected(meeting):
    return len(mailings.participants(meeting)) + len(mailings.project_managers(meeting))


def test_nothing_is_sent_before_the_invitation_day(meeting, mailoutbox):
    assert mailings.dispatch_due(NOW) == 0
    assert OutgoingMail.objects.count() == 0


def test_time_moved_to_invitation_day_sends_exactly_once(
    meeting, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = mailings.dispatch_due(INVITATION_DAY + datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        second = mailings.dispatch_due(INVITATION_DAY + datetime.timedelta(hours=1))

    assert first == _expected(meeting) == 3
    assert second == 0
    assert len(mailoutbox) == first
    assert OutgoingMail.objects.filter(state=MailState.SENT).count() == first
    copies = OutgoingMail.objects.filter(purpose=MailPurpose.MEETING_INVITATION_COPY)
    assert copies.count() == 1


def test_invitation_carries_agenda_pdf_calendar_and_personal_link(
    world, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mailings.dispatch_due(INVITATION_DAY)

    message = next(m for m in mailoutbox if m.to == [world.participant.email])
    registration = Registration.objects.get(meeting=meeting, person=world.participant)
    names = [name for name, _content, _type in message.attachments]
    assert [n.rsplit(".", 1)[1] for n in names] == ["pdf", "ics"]
    assert registration.token in message.body
    assert "Stadshuset" in message.body
    assert meeting.agenda_items.first().title in message.body
    assert message.subject.startswith("Inbjudan:")


def test_agenda_pdf_is_rendered_once_per_meeting_version(meeting, world):
    other = world.other_cluster.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    with time_machine.travel(NOW, tick=False):
        services.plan_meeting(
            other,
            date=MEETING_START.date(),
            start_time=None,
            end_time=None,
            host=None,
            venue="",
            venue_address="",
            remote_link="",
            accessibility=[],
        )
    with mock.patch("meetings.mailings.agenda_pdf", wraps=mailings.agenda_pdf) as render:
        mailings.dispatch_due(INVITATION_DAY)
        mailings.dispatch_due(INVITATION_DAY)

    assert render.call_count == 2  # two meetings, one render each


def test_calendar_entry_has_stable_uid_local_time_and_rising_sequence(
    meeting, world, django_capture_on_commit_callbacks
):
    first = Calendar.from_ical(mailings.calendar_entry(meeting))
    with (
        time_machine.travel(INVITATION_DAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        mailings.dispatch_due(INVITATION_DAY)
        services.plan_meeting(
            meeting,
            date=MEETING_START.date(),
            start_time=datetime.time(10),
            end_time=datetime.time(16),
            host=world.mentor,
            venue="Nytt rum",
            venue_address="",
            remote_link="",
            accessibility=[],
        )
    meeting.refresh_from_db()
    second = Calendar.from_ical(mailings.calendar_entry(meeting))

    (event_1,) = first.walk("VEVENT")
    (event_2,) = second.walk("VEVENT")
    assert event_1["UID"] == event_2["UID"]
    assert int(event_2["SEQUENCE"]) > int(event_1["SEQUENCE"])
    start = event_1.decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (9, 30, "Europe/Stockholm")
    assert event_2.decoded("DTSTART").hour == 10


def test_change_after_invitations_sends_an_update_to_everyone(
    meeting, world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mailings.dispatch_due(INVITATION_DAY)
    with (
        time_machine.travel(INVITATION_DAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.plan_meeting(
            meeting,
            date=MEETING_START.date(),
            start_time=datetime.time(9, 30),
            end_time=datetime.time(16),
            host=world.mentor,
            venue="Annat rum",
            venue_address="",
            remote_link="",
            accessibility=[],
        )

    updates = OutgoingMail.objects.filter(purpose=MailPurpose.MEETING_UPDATE)
    assert updates.count() == len(mailings.participants(meeting))
    assert all("Annat rum" in mail.body_text for mail in updates)


def test_rolled_back_transaction_leaves_no_mail(meeting, mailoutbox):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        mailings.dispatch_due(INVITATION_DAY)
        raise RuntimeError

    assert OutgoingMail.objects.count() == 0
    assert Registration.objects.count() == 0
    assert mailoutbox == []


def test_temporary_smtp_error_then_success_sends_once(meeting, mailoutbox):
    mailings.dispatch_due(INVITATION_DAY)
    mail = OutgoingMail.objects.filter(purpose=MailPurpose.MEETING_INVITATION).first()
    calls = []

    def flaky(messages):
        calls.append(messages)
        if len(calls) == 1:
            raise smtplib.SMTPResponseException(451, b"try again later")
        return 1

    with mock.patch("outbox.services.mailers") as mailers:
        mailers.default.send_messages.side_effect = flaky
        task_send_mail.delay(mail_id=mail.pk)
        mail.refresh_from_db()
        with time_machine.travel(mail.retry_after, tick=False):
            task_send_mail.delay(mail_id=mail.pk)  # the retry, once it is due

    mail.refresh_from_db()
    assert (mail.state, mail.attempts, len(calls)) == (MailState.SENT, 2, 2)


def test_permanent_smtp_error_fails_visibly_without_retry(meeting):
    mailings.dispatch_due(INVITATION_DAY)
    mail = OutgoingMail.objects.filter(purpose=MailPurpose.MEETING_INVITATION).first()

    with mock.patch("outbox.services.mailers") as mailers:
        mailers.default.send_messages.side_effect = smtplib.SMTPResponseException(
            550, b"no such user"
        )
        task_send_mail.delay(mail_id=mail.pk)

    mail.refresh_from_db()
    assert (mail.state, mail.attempts) == (MailState.FAILED, 1)
    assert "550" in mail.last_error
    assert mailers.default.send_messages.call_count == 1


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_on_postgresql_send_exactly_once(world):
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    meeting = world.cluster.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    with time_machine.travel(NOW, tick=False):
        services.plan_meeting(
            meeting,
            date=MEETING_START.date(),
            start_time=None,
            end_time=None,
            host=None,
            venue="",
            venue_address="",
            remote_link="",
            accessibility=[],
        )
    barrier = threading.Barrier(2)
    errors = []

    def dispatch():
        try:
            barrier.wait()
            mailings.dispatch_due(INVITATION_DAY)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert OutgoingMail.objects.count() == _expected(meeting)
    assert Registration.objects.count() == len(mailings.participants(meeting))


def test_invitation_through_a_real_smtp_server(meeting, world, settings, tmp_path):
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            received.append(envelope)
            return "250 OK"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
            }
        }
        mailings.dispatch_due(INVITATION_DAY)
        for mail in OutgoingMail.objects.all():
            task_send_mail.delay(mail_id=mail.pk)
    finally:
        controller.stop()

    assert len(received) == _expected(meeting)
    envelope = next(e for e in received if world.participant.email in e.rcpt_tos)
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    pdf = next(p for name, p in attachments.items() if name.endswith(".pdf"))
    ics = next(p for name, p in attachments.items() if name.endswith(".ics"))
    assert pdf.get_content().startswith(b"%PDF")
    assert ics.get_content_type() == "text/calendar"
    assert Calendar.from_ical(ics.get_content()).walk("VEVENT")
    assert message["To"] == world.participant.email
    assert message["Cc"] is None


def test_dispatch_due_command_runs_the_job_once_now(meeting, mailoutbox):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with time_machine.travel(INVITATION_DAY, tick=False):
        call_command("dispatch_due", stdout=out)
        call_command("dispatch_due", stdout=out)

    assert out.getvalue().splitlines() == [
        f"{_expected(meeting)} mail(s) queued.",
        "0 mail(s) queued.",
    ]
