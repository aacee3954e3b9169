"""Each cluster's four meetings in some state, with what the product keeps about them:
registrations and special needs, evaluation answers, sent mails and organiser tasks."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.utils import translation

from meetings.enums import Attendance, Diet, Responsible
from meetings.evaluations import evaluation_model
from meetings.models import (
    DEFAULT_END,
    DEFAULT_START,
    ChecklistTask,
    EvaluationAnswer,
    Meeting,
    Registration,
)
from meetings.services import PLAN_FIELDS, create_meetings_for_cluster
from outbox.enums import MailPurpose, MailState
from outbox.models import OutgoingMail
from programmes.enums import OrganisationKind

from .base import Run, at, weekday
from .content import (
    ATTENDANCE,
    ATTENDANCE_WEIGHTS,
    BATCH_SIZE,
    EMAIL_DOMAIN,
    EVALUATION_COMMENTS,
    HELD,
    INVITED,
    PATTERNS,
    RATING_WEIGHTS,
    VENUE_FEATURES,
)

EVALUATION_DELAY = datetime.timedelta(minutes=15)


def _days(run: Run, pattern: str) -> list[datetime.date | None]:
    """A day for each meeting of the pattern: held ones 8-12 weeks apart back from the latest;
    the others forward from today, an invited one inside the two-week invitation window and
    a dated one outside it; none for a meeting without a date."""
    days: list[datetime.date | None] = [None] * len(pattern)
    day = None
    for index in reversed([i for i, state in enumerate(pattern) if state in HELD]):
        if day is None:
            back = run.rng.randint(1, 2) if pattern[index] == "H" else run.rng.randint(7, 60)
        else:
            back = run.rng.randint(56, 84)
        day = weekday((day or run.today) - datetime.timedelta(days=back), forward=False)
        days[index] = day
    day = None
    for index in [i for i, state in enumerate(pattern) if state in "IP"]:
        if day is None:
            ahead = run.rng.randint(3, 11) if pattern[index] == "I" else run.rng.randint(20, 60)
        else:
            ahead = run.rng.randint(56, 84)
        day = weekday((day or run.today) + datetime.timedelta(days=ahead), forward=True)
        days[index] = day
    return days


def _plan(run: Run, meeting: Meeting, day: datetime.date, host, invited: bool) -> None:
    meeting.host = host
    meeting.starts_at = at(day, DEFAULT_START)
    meeting.ends_at = at(day, DEFAULT_END)
    building = "kommunhuset" if host.kind == OrganisationKind.MUNICIPALITY else "regionens hus"
    meeting.venue = f"{host.name}, {building}"
    meeting.venue_address = f"Storgatan {run.rng.randint(1, 60)}, {host.name}"
    if run.rng.random() < 0.6:
        meeting.remote_link = f"https://mote.{EMAIL_DOMAIN}/{meeting.pk}"
    meeting.accessibility = run.rng.sample(VENUE_FEATURES, run.rng.randint(3, len(VENUE_FEATURES)))
    if invited:
        lead = datetime.timedelta(days=run.programme.invitation_lead_days)
        meeting.invitations_sent_at = min(at(day - lead, datetime.time(6)), run.now)


def create_meetings(run: Run) -> None:
    """The product's four meetings per cluster, then dated and hosted by the cluster's pattern:
    the mentor hosts the start-up meeting, another organisation each of the others."""
    planned = []
    for index, (cluster, group) in enumerate(zip(run.clusters, run.organisations, strict=True)):
        meetings = sorted(create_meetings_for_cluster(cluster), key=lambda m: m.sequence)
        pattern = PATTERNS[index % len(PATTERNS)]
        for meeting, state, day in zip(meetings, pattern, _days(run, pattern), strict=True):
            run.state[meeting.pk] = state
            if day is not None:
                _plan(run, meeting, day, group[meeting.sequence], invited=state in INVITED)
                planned.append(meeting)
        run.meetings[cluster.pk] = meetings
    # One UPDATE per meeting: bulk_update's CASE over eight fields is several times slower.
    for meeting in planned:
        Meeting.objects.filter(pk=meeting.pk).update(
            **{name: getattr(meeting, name) for name in PLAN_FIELDS},
            invitations_sent_at=meeting.invitations_sent_at,
        )
    run.counts["meetings"] = len(run.state)


def _needs(run: Run, registration: Registration) -> None:
    rng = run.rng
    if rng.random() < 0.18:
        registration.diets = rng.sample(Diet.values, rng.choice([1, 1, 1, 2]))
    if rng.random() < 0.03:
        registration.diet_other = "Allergi mot skaldjur"
    registration.hearing_loop = rng.random() < 0.04
    if rng.random() < 0.03:
        registration.accessibility = "Rullstol, behöver hiss"
    if rng.random() < 0.02:
        registration.other_needs = "Behöver sitta nära utgången"


def _registration(run: Run, meeting: Meeting, person, organisation) -> Registration:
    """Most answer; special needs are kept until the retention period has passed."""
    state, invited = run.state[meeting.pk], meeting.invitations_sent_at
    registration = Registration(
        meeting=meeting, person=person, organisation=organisation, invited_at=invited
    )
    if run.rng.random() < (0.92 if state in HELD else 0.55):
        registration.attendance = run.rng.choices(ATTENDANCE, weights=ATTENDANCE_WEIGHTS)[0]
        answered_by = min(meeting.starts_at, run.now)
        registration.answered_at = invited + (answered_by - invited) * run.rng.uniform(0.05, 0.8)
    retention = datetime.timedelta(days=settings.SPECIAL_NEEDS_RETENTION_DAYS)
    if meeting.ends_at + retention < run.now:
        registration.needs_erased_at = meeting.ends_at + retention
    elif registration.attendance == Attendance.IN_PERSON:
        _needs(run, registration)
    if state == "E" and registration.attendance != Attendance.NOT_ATTENDING:
        registration.evaluation_sent_at = meeting.ends_at + EVALUATION_DELAY
    return registration


def _evaluation(run: Run, registration: Registration) -> EvaluationAnswer:
    model = evaluation_model()
    return EvaluationAnswer(
        registration=registration,
        ratings={
            question["key"]: run.rng.choices(range(1, 6), weights=RATING_WEIGHTS)[0]
            for question in model["questions"]
        },
        comment=run.rng.choice(EVALUATION_COMMENTS) if run.rng.random() < 0.25 else "",
        questions_version=model["version"],
    ).count_ratings()


def _mail(purpose: str, meeting: Meeting, person, subject: str) -> OutgoingMail:
    """A sent mail with the key the product gives it (see ``meetings.mailings``)."""
    version = meeting.invitation_version
    key, sent_at = {
        MailPurpose.MEETING_INVITATION: (
            f"invitation:{meeting.pk}:{person.pk}:v{version}",
            meeting.invitations_sent_at,
        ),
        MailPurpose.MEETING_INVITATION_COPY: (
            f"invitation-copy:{meeting.pk}:{person.pk}:v{version}",
            meeting.invitations_sent_at,
        ),
        MailPurpose.EVALUATION: (
            f"evaluation:{meeting.pk}:{person.pk}",
            meeting.ends_at + EVALUATION_DELAY,
        ),
    }[purpose]
    return OutgoingMail(
        key=key,
        purpose=purpose,
        recipient=person,
        to_email=person.email,
        meeting=meeting,
        subject=subject,
        body_text=f"Hej {person.get_short_name()}!\n\n{subject}\n{meeting.venue}\n",
        state=MailState.SENT,
        attempts=1,
        sent_at=sent_at,
    )


def create_registrations(run: Run) -> None:
    """For every meeting whose invitations went out: a registration and an invitation mail
    per participant and a copy to SKR; after an evaluated meeting, the evaluation mails and
    the answers of most who came."""
    registrations, answers, mails = [], [], []
    for cluster, group in zip(run.clusters, run.organisations, strict=True):
        participants = [(person, o) for o in group for person in run.people[o.pk]]
        for meeting in run.meetings[cluster.pk]:
            if run.state[meeting.pk] not in INVITED:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                subject = f"Inbjudan: {meeting.get_kind_display()} – {cluster.name}"
                evaluation_subject = f"Utvärdering: {meeting.get_kind_display()} – {cluster.name}"
            mails.append(
                _mail(MailPurpose.MEETING_INVITATION_COPY, meeting, run.project_manager, subject)
            )
            for person, organisation in participants:
                registration = _registration(run, meeting, person, organisation)
                registrations.append(registration)
                mails.append(_mail(MailPurpose.MEETING_INVITATION, meeting, person, subject))
                if registration.evaluation_sent_at is None:
                    continue
                mails.append(_mail(MailPurpose.EVALUATION, meeting, person, evaluation_subject))
                if run.rng.random() < (0.7 if registration.attendance else 0.15):
                    answers.append(_evaluation(run, registration))
    Registration.objects.bulk_create(registrations, batch_size=BATCH_SIZE)
    EvaluationAnswer.objects.bulk_create(answers, batch_size=BATCH_SIZE)
    OutgoingMail.objects.bulk_create(mails, batch_size=BATCH_SIZE)
    run.counts.update(
        registrations=len(registrations), evaluation_answers=len(answers), outgoing_mails=len(mails)
    )


def tick_checklist_tasks(run: Run) -> None:
    """Most organiser tasks due by today are done, some are left overdue, a few later ones
    are done early. The host's or the mentor's key person (SKR's project manager for SKR's
    tasks) ticks off a meeting's tasks in one go, on the day the last of them fell due."""
    meetings, doers = {}, {}
    for cluster, group in zip(run.clusters, run.organisations, strict=True):
        for meeting in run.meetings[cluster.pk]:
            meetings[meeting.pk] = meeting
            mentor = run.key_person(group[0])
            doers[meeting.pk] = {
                Responsible.HOST: run.key_person(meeting.host) if meeting.host else mentor,
                Responsible.SKR: run.project_manager,
                None: mentor,
            }
    tasks = (
        ChecklistTask.objects.filter(meeting__cluster__programme=run.programme)
        .values_list("pk", "meeting_id", "days", "owner_role")
        .order_by("pk")
    )
    done = defaultdict(list)  # (meeting id, person) -> [(task id, due date)]
    overdue = 0
    for pk, meeting_id, days, owner in tasks:
        meeting = meetings[meeting_id]
        if meeting.starts_at is None:
            continue
        due = meeting.date + datetime.timedelta(days=days)
        held = run.state[meeting_id] in HELD
        chance = (0.95 if held else 0.8) if due < run.today else 0.15
        if run.rng.random() < chance:
            by = doers[meeting_id].get(owner, doers[meeting_id][None])
            done[meeting_id, by].append((pk, due))
        elif due < run.today:
            overdue += 1
    # One UPDATE per meeting and person: bulk_update's CASE over thousands of rows is slower.
    for (_meeting_id, by), ticked in done.items():
        day = min(max(due for _pk, due in ticked), run.today)
        ChecklistTask.objects.filter(pk__in=[pk for pk, _due in ticked]).update(
            done_at=min(at(day, datetime.time(10)), run.now), done_by=by
        )
    run.counts.update(
        checklist_tasks=len(tasks),
        checklist_tasks_done=sum(len(ticked) for ticked in done.values()),
        checklist_tasks_overdue=overdue,
    )
