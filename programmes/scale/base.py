"""The state one seeding run shares between its steps."""

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass
class Run:
    rng: random.Random
    password_hash: str
    now: datetime.datetime
    today: datetime.date
    programme: object = None
    project_manager: object = None
    clusters: list = field(default_factory=list)
    # per cluster (in the order of ``clusters``) its organisations, the mentor first
    organisations: list[list] = field(default_factory=list)
    # organisation id -> its people, the key person first
    people: dict[int, list] = field(default_factory=dict)
    # cluster id -> its four meetings in order; meeting id -> its letter in the pattern
    meetings: dict[int, list] = field(default_factory=dict)
    state: dict[int, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def all_organisations(self) -> list:
        return [organisation for group in self.organisations for organisation in group]

    def key_person(self, organisation):
        return self.people[organisation.pk][0]


def at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


def weekday(day: datetime.date, *, forward: bool) -> datetime.date:
    """Meetings are held on weekdays: a weekend day moves to Monday or back to Friday."""
    if day.weekday() < 5:
        return day
    if forward:
        return day + datetime.timedelta(days=7 - day.weekday())
    return day - datetime.timedelta(days=day.weekday() - 4)
