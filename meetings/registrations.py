"""Participants' answers to invitations, and their special needs."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import Assignment

from .enums import Attendance, Diet
from .models import Meeting, Registration
from .models.registration import SPECIAL_NEEDS_FIELDS


def registration_open(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return meeting.starts_at is not None and meeting.starts_at > now


def takes_part(registration: Registration) -> bool:
    """Whether the person still has a role in the meeting's cluster (the same people who are
    invited): once it has ended, their registration link shows and accepts nothing."""
    meeting = registration.meeting
    return (
        Assignment.objects.active()
        .filter(
            person_id=registration.person_id,
            person__is_active=True,
            programme_id=meeting.cluster.programme_id,
            organisation__cluster_memberships__cluster_id=meeting.cluster_id,
        )
        .exists()
    )


@transaction.atomic
def answer(registration: Registration, **fields) -> Registration:
    """Save a participant's answer; needs are dropped for someone who does not attend."""
    if not takes_part(registration):
        raise ValidationError(
            _(
                "This registration can no longer be changed: its person no longer has a role "
                "in the cluster."
            ),
            code="role_ended",
        )
    if not registration_open(registration.meeting):
        raise ValidationError(
            _("Registration is closed: the meeting has already started or taken place.")
        )
    if fields["attendance"] == Attendance.NOT_ATTENDING:
        fields.update(diets=[], diet_other="", hearing_loop=False, accessibility="", other_needs="")
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.answered_at = timezone.now()
    registration.save()
    return registration


@dataclass
class NeedsSummary:
    """What the caterer and the venue need to know: counts and the needs as written, never
    who wrote them (texts are merged regardless of case and spacing, and sorted, so neither
    the order of registrations nor a spelling points to a person)."""

    in_person: int = 0
    remote: int = 0
    not_attending: int = 0
    unanswered: int = 0
    diets: list[tuple[str, int]] = field(default_factory=list)
    other_diets: list[tuple[str, int]] = field(default_factory=list)
    hearing_loop: int = 0
    accessibility: list[tuple[str, int]] = field(default_factory=list)
    other_needs: list[tuple[str, int]] = field(default_factory=list)


def _as_written(texts) -> list[tuple[str, int]]:
    """Each need once, with how many wrote it."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for text in texts:
        text = " ".join(text.split())
        if text:
            key = text.casefold()
            counts[key] += 1
            shown.setdefault(key, text)
    return [(shown[key], counts[key]) for key in sorted(counts)]


def needs_summary(registrations: list[Registration]) -> NeedsSummary:
    summary = NeedsSummary()
    diets: Counter[str] = Counter()
    attending = []
    for registration in registrations:
        match registration.attendance:
            case Attendance.IN_PERSON:
                summary.in_person += 1
                attending.append(registration)
            case Attendance.REMOTE:
                summary.remote += 1
            case Attendance.NOT_ATTENDING:
                summary.not_attending += 1
            case _:
                summary.unanswered += 1
    for registration in attending:
        diets.update(key for key in registration.diets if key in Diet)
        summary.hearing_loop += registration.hearing_loop
    summary.diets = [(str(Diet(key).label), count) for key, count in sorted(diets.items())]
    summary.other_diets = _as_written(r.diet_other for r in attending)
    summary.accessibility = _as_written(r.accessibility for r in attending)
    summary.other_needs = _as_written(r.other_needs for r in attending)
    return summary


def erase_special_needs(now: datetime.datetime) -> int:
    """Erase special needs of meetings that ended more than the retention period ago."""
    cutoff = now - datetime.timedelta(days=settings.SPECIAL_NEEDS_RETENTION_DAYS)
    blank = {
        "diets": [],
        "diet_other": "",
        "hearing_loop": False,
        "accessibility": "",
        "other_needs": "",
    }
    if set(blank) != set(SPECIAL_NEEDS_FIELDS):
        # Not an assert: `python -O` would drop it, and a new field would keep its data.
        raise RuntimeError("erase_special_needs must blank every special-needs field")
    ended = Q(meeting__ends_at__lt=cutoff)
    undated = Q(meeting__ends_at__isnull=True, meeting__invitations_sent_at__lt=cutoff)
    return Registration.objects.filter(ended | undated, needs_erased_at__isnull=True).update(
        needs_erased_at=now, **blank
    )
