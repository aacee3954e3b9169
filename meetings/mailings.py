"""Invitations to a cluster's meetings: who is invited, what they get, and when.

A periodic job (``dispatch_due``) finds meetings whose invitation day has come and queues
one outbox row per participant, plus one copy per SKR project manager. Every row has a
unique key that includes the meeting's invitation version, so the job can run any number
of times, on several workers at once, and each person still gets each version once. A
change of date, times, host, venue or link raises the version: the next run sends an
update, and the calendar entry (same UID, higher SEQUENCE) replaces the old one.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from outbox.enums import MailPurpose, MailState
from outbox.models import OutgoingMail
from outbox.services import queue_mail, resend_mails
from programmes.enums import Role
from programmes.models import Assignment

from .documents.agenda import agenda_data, agenda_filename, agenda_pdf
from .enums import AutomaticTask
from .models import ChecklistTask, Meeting, Registration

logger = logging.getLogger(__name__)

# What an invitation states; a change to any of these sends an update.
INVITATION_FIELDS = ["starts_at", "ends_at", "host_id", "venue", "venue_address", "remote_link"]
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"


def participants(meeting: Meeting) -> list[Assignment]:
    """One active organisation role per active person in the meeting's cluster; for someone
    with two roles, the key person role (so they get the organiser's reminders)."""
    assignments = (
        Assignment.objects.active()
        .filter(
            programme_id=meeting.cluster.programme_id,
            organisation__cluster_memberships__cluster_id=meeting.cluster_id,
            person__is_active=True,
        )
        .exclude(role=Role.PROJECT_MANAGER)
        .with_role_order()
        .select_related("person", "organisation")
        .order_by("person_id", "role_order", "pk")
    )
    seen, unique = set(), []
    for assignment in assignments:
        if assignment.person_id not in seen:
            seen.add(assignment.person_id)
            unique.append(assignment)
    return unique


def project_managers(meeting: Meeting) -> list:
    return [
        a.person
        for a in Assignment.objects.active()
        .filter(
            programme_id=meeting.cluster.programme_id,
            role=Role.PROJECT_MANAGER,
            person__is_active=True,
        )
        .select_related("person")
    ]


def calendar_entry(meeting: Meeting) -> bytes:
    """An iCalendar file whose UID stays the same for the meeting; SEQUENCE is its version."""
    from icalendar import Calendar, Event

    data = agenda_data(meeting)
    stockholm = timezone.get_current_timezone()
    calendar = Calendar()
    calendar.add("prodid", "-//Jämbench//SKR benchmarking//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@jambench")
    event.add("sequence", meeting.invitation_version)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(meeting.starts_at, stockholm))
    event.add("dtend", timezone.localtime(meeting.ends_at, stockholm))
    event.add("summary", f"{data.meeting}: {data.cluster}")
    event.add("location", ", ".join(p for p in (data.venue, data.venue_address) if p))
    description = [data.theme, data.purpose]
    if data.remote_link:
        description.append(f"{_('Remote participation')}: {data.remote_link}")
    description.append(f"{settings.SITE_URL}{meeting.get_absolute_url()}")
    event.add("description", "\n\n".join(p for p in description if p))
    event.add("url", f"{settings.SITE_URL}{meeting.get_absolute_url()}")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meeting_attachments(meeting: Meeting) -> list[dict]:
    """The agenda PDF and calendar entry of this version of the meeting, rendered once and
    shared by every mail of the version."""
    folder = f"mail/meetings/{meeting.pk}/v{meeting.invitation_version}"
    with translation.override(settings.LANGUAGE_CODE):
        files = [
            (agenda_filename(meeting, "pdf"), "application/pdf", lambda: agenda_pdf(meeting)[2]),
            (agenda_filename(meeting, "ics"), ICS_CONTENT_TYPE, lambda: calendar_entry(meeting)),
        ]
        attachments = []
        for name, content_type, render in files:
            path = f"{folder}/{name}"
            if not default_storage.exists(path):
                path = default_storage.save(path, ContentFile(render()))
            attachments.append({"path": path, "name": name, "content_type": content_type})
    return attachments


def _registration_for(meeting: Meeting, assignment: Assignment) -> tuple[Registration, bool]:
    try:
        with transaction.atomic():
            return Registration.objects.get_or_create(
                meeting=meeting,
                person=assignment.person,
                defaults={"organisation": assignment.organisation},
            )
    except IntegrityError:  # another dispatcher created it a moment ago
        return Registration.objects.get(meeting=meeting, person=assignment.person), False


@transaction.atomic
def send_invitations(meeting: Meeting) -> int:
    """Queue this version's invitation (or update) for everyone not yet sent it. Returns the
    number of outbox rows this call created. One transaction: the mails are handed to the
    workers when all rows of the meeting are in."""
    meeting = (
        Meeting.objects.select_related("cluster__programme", "host")
        .prefetch_related("preparations")
        .get(pk=meeting.pk)
    )
    if meeting.starts_at is None or meeting.ends_at is None:
        return 0  # nothing to invite to
    version = meeting.invitation_version
    attachments = meeting_attachments(meeting)
    agendas: dict[str, object] = {}
    created = 0
    for assignment in participants(meeting):
        person = assignment.person
        key = f"invitation:{meeting.pk}:{person.pk}:v{version}"
        if _mail_exists(key):
            continue
        registration, new = _registration_for(meeting, assignment)
        language = person.language or settings.LANGUAGE_CODE
        if language not in agendas:
            with translation.override(language):
                agendas[language] = agenda_data(meeting)
        created += _queue(
            key=key,
            purpose=MailPurpose.MEETING_INVITATION if new else MailPurpose.MEETING_UPDATE,
            template="meeting_invitation",
            recipient=person,
            meeting=meeting,
            attachments=attachments,
            context={
                "meeting": meeting,
                "agenda": agendas[language],
                "is_update": not new,
                "registration_url": f"{settings.SITE_URL}{registration.get_absolute_url()}",
            },
        )
    for manager in project_managers(meeting):
        language = manager.language or settings.LANGUAGE_CODE
        if language not in agendas:
            with translation.override(language):
                agendas[language] = agenda_data(meeting)
        created += _queue(
            key=f"invitation-copy:{meeting.pk}:{manager.pk}:v{version}",
            purpose=MailPurpose.MEETING_INVITATION_COPY,
            template="meeting_invitation",
            recipient=manager,
            meeting=meeting,
            attachments=attachments,
            context={
                "meeting": meeting,
                "agenda": agendas[language],
                "is_update": version > 1 and meeting.invitations_sent_at is not None,
                "is_copy": True,
                "participant_count": len(participants(meeting)),
            },
        )
    if meeting.invitations_sent_at is None:
        Meeting.objects.filter(pk=meeting.pk, invitations_sent_at=None).update(
            invitations_sent_at=timezone.now()
        )
        # The invitation carries the registration, where participants state special needs.
        ChecklistTask.objects.done_by_the_product(
            meeting.pk, [AutomaticTask.INVITATION, AutomaticTask.REGISTRATION]
        )
    return created


def _mail_exists(key: str) -> bool:
    return OutgoingMail.objects.filter(key=key).exists()


def _queue(**kwargs) -> int:
    _mail, created = queue_mail(**kwargs)
    return int(created)


def due_meetings(now: datetime.datetime) -> list[Meeting]:
    """Meetings still ahead whose invitation day has come, or that changed since."""
    horizon = now + datetime.timedelta(days=366)
    meetings = Meeting.objects.filter(
        starts_at__gt=now, starts_at__lte=horizon, ends_at__isnull=False
    ).select_related("cluster__programme")
    return [
        m
        for m in meetings
        if m.invitations_sent_at is not None
        or m.starts_at - datetime.timedelta(days=m.cluster.programme.invitation_lead_days) <= now
    ]


def dispatch_due(now: datetime.datetime | None = None) -> int:
    """Queue every invitation, update, reminder and evaluation mail that is due. Safe to run
    at any time, repeatedly, on several workers at once."""
    now = now or timezone.now()
    jobs = [(send_invitations, m) for m in due_meetings(now)]
    jobs += [(send_registration_reminders, m) for m in reminder_meetings(now)]
    jobs += [(partial(send_organiser_reminders, now=now), m) for m in reminder_meetings(now)]
    jobs += [(partial(send_evaluation_links, now=now), m) for m in evaluation_meetings(now)]
    created = 0
    for job, meeting in jobs:
        try:
            created += job(meeting)
        except Exception:  # one meeting's failure must not hold back everyone else's mail
            logger.exception("Could not queue the mails of meeting %s", meeting.pk)
    return created


def reminder_meetings(now: datetime.datetime) -> list[Meeting]:
    """Invited meetings still ahead whose reminder day has come."""
    meetings = Meeting.objects.filter(
        starts_at__gt=now, invitations_sent_at__isnull=False
    ).select_related("cluster__programme", "host")
    return [
        m
        for m in meetings
        if m.starts_at - datetime.timedelta(days=m.cluster.programme.reminder_days) <= now
    ]


def send_registration_reminders(meeting: Meeting) -> int:
    """Remind those who have not answered the invitation, once."""
    created = 0
    reminder_day = meeting.starts_at - datetime.timedelta(
        days=meeting.cluster.programme.reminder_days
    )
    current = {a.person_id for a in participants(meeting)}
    unanswered = meeting.registrations.filter(
        attendance="", invited_at__lte=reminder_day, person_id__in=current
    ).select_related("person")
    for registration in unanswered:
        created += _queue(
            key=f"registration-reminder:{meeting.pk}:{registration.person_id}",
            purpose=MailPurpose.REGISTRATION_REMINDER,
            template="registration_reminder",
            recipient=registration.person,
            meeting=meeting,
            context={
                "meeting": meeting,
                "registration_url": f"{settings.SITE_URL}{registration.get_absolute_url()}",
            },
        )
    return created


def send_organiser_reminders(meeting: Meeting, now: datetime.datetime) -> int:
    """Remind the cluster's key persons, once, of organiser tasks and preparations still open
    that are due by the meeting."""
    from .selectors import checklist, cluster_memberships, preparations

    memberships = cluster_memberships(meeting)
    tasks = [
        t
        for t in checklist(meeting, memberships)
        if t.done_at is None and t.due_date is not None and t.due_date <= meeting.date
    ]
    open_preparations = [
        (prep, [m.organisation.name for m, applies, done in prep.cells if applies and not done])
        for prep in preparations(meeting, memberships)
    ]
    open_preparations = [(prep, orgs) for prep, orgs in open_preparations if orgs]
    if not tasks and not open_preparations:
        return 0
    key_persons = {a.person for a in participants(meeting) if a.role == Role.KEY_PERSON}
    created = 0
    for person in sorted(key_persons, key=lambda p: p.pk):
        created += _queue(
            key=f"organiser-reminder:{meeting.pk}:{person.pk}",
            purpose=MailPurpose.ORGANISER_REMINDER,
            template="organiser_reminder",
            recipient=person,
            meeting=meeting,
            context={"meeting": meeting, "tasks": tasks, "preparations": open_preparations},
        )
    return created


def evaluation_meetings(now: datetime.datetime) -> list[Meeting]:
    """Meetings that ended within the last month: their evaluation mails may be due."""
    return list(
        Meeting.objects.filter(
            ends_at__lte=now,
            ends_at__gt=now - datetime.timedelta(days=30),
            invitations_sent_at__isnull=False,
        ).select_related("cluster__programme")
    )


def evaluation_url(meeting: Meeting, registration: Registration) -> str:
    external = meeting.cluster.programme.evaluation_form_url
    if external:
        return external
    return f"{settings.SITE_URL}{reverse('meetings:evaluation', args=[registration.token])}"


def send_evaluation_links(meeting: Meeting, now: datetime.datetime) -> int:
    """The evaluation link to every participant once the meeting has ended; a reminder some
    days later to those who have not answered the built-in form."""
    from .evaluations import evaluated_registrations, uses_built_in_form

    created = 0
    reminder_after = datetime.timedelta(days=meeting.cluster.programme.evaluation_reminder_days)
    asked = evaluated_registrations(meeting).filter(person__is_active=True)
    for registration in asked.select_related("person", "evaluation"):
        context = {"meeting": meeting, "evaluation_url": evaluation_url(meeting, registration)}
        created += _queue(
            key=f"evaluation:{meeting.pk}:{registration.person_id}",
            purpose=MailPurpose.EVALUATION,
            template="evaluation",
            recipient=registration.person,
            meeting=meeting,
            context=context,
        )
        if registration.evaluation_sent_at is None:
            Registration.objects.filter(pk=registration.pk).update(evaluation_sent_at=now)
            ChecklistTask.objects.done_by_the_product(meeting.pk, [AutomaticTask.EVALUATION])
            continue
        answered = hasattr(registration, "evaluation")
        if (
            uses_built_in_form(meeting)
            and not answered
            and registration.evaluation_sent_at + reminder_after <= now
        ):
            created += _queue(
                key=f"evaluation-reminder:{meeting.pk}:{registration.person_id}",
                purpose=MailPurpose.EVALUATION_REMINDER,
                template="evaluation",
                recipient=registration.person,
                meeting=meeting,
                context={**context, "is_reminder": True},
            )
    return created


def invitation_changed(meeting: Meeting, before: dict) -> bool:
    return any(before[field] != getattr(meeting, field) for field in INVITATION_FIELDS)


def enqueue_meeting_dispatch(meeting: Meeting) -> None:
    from .tasks import task_send_invitations

    transaction.on_commit(partial(task_send_invitations.delay, meeting_id=meeting.pk), robust=True)


def is_out_of_date(mail: OutgoingMail) -> bool:
    """An invitation or update of an earlier version of its meeting (the date or venue it
    states has changed since): sending it again would mislead."""
    if not mail.key or mail.meeting_id is None or ":v" not in mail.key:
        return False
    version = int(mail.key.rsplit(":v", 1)[1])
    return version < mail.meeting.invitation_version


@transaction.atomic
def resend_failed_mails(meeting: Meeting) -> tuple[int, int]:
    """Queue every failed mail of the meeting again, except invitations that state an earlier
    version of it. Returns how many were queued and how many were left out as out of date."""
    failed = list(meeting.mails.filter(state=MailState.FAILED).only("pk", "key", "meeting"))
    current = [mail.pk for mail in failed if not is_out_of_date(mail)]
    resent = resend_mails(OutgoingMail.objects.filter(pk__in=current))
    return resent, len(failed) - len(current)
