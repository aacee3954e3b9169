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

from .enums import Attendance, Diet
from .models import Meeting, Registration
from .models.registration import SPECIAL_NEEDS_FIELDS


def registration_open(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return meeting.starts_at is not None and meeting.starts_at > now


@transaction.atomic
def answer(registration: Registration, **fields) -> Registration:
    """Save a participant's answer; needs are dropped for someone who does not attend."""
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
    """What the caterer and the venue need to know: counts, no names."""

    in_person: int = 0
    remote: int = 0
    not_attending: int = 0
    unanswered: int = 0
    diets: list[tuple[str, int]] = field(default_factory=list)
    other_diets: int = 0
    hearing_loop: int = 0
    accessibility: int = 0
    other_needs: int = 0


def needs_summary(registrations: list[Registration]) -> NeedsSummary:
    summary = NeedsSummary()
    diets: Counter[str] = Counter()
    for registration in registrations:
        match registration.attendance:
            case Attendance.IN_PERSON:
                summary.in_person += 1
            case Attendance.REMOTE:
                summary.remote += 1
            case Attendance.NOT_ATTENDING:
                summary.not_attending += 1
            case _:
                summary.unanswered += 1
        if registration.attendance != Attendance.IN_PERSON:
            continue
        diets.update(key for key in registration.diets if key in Diet)
        summary.other_diets += bool(registration.diet_other)
        summary.hearing_loop += registration.hearing_loop
        summary.accessibility += bool(registration.accessibility)
        summary.other_needs += bool(registration.other_needs)
    summary.diets = [(str(Diet(key).label), count) for key, count in sorted(diets.items())]
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
