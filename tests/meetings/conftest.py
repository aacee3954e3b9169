import datetime

import pytest
import time_machine

from meetings import mailings, services
from meetings.enums import MeetingKind

# A benchmarking meeting 1 on this day, whose invitations went out ten days before.
INVITED_START = datetime.datetime(2027, 2, 16, 8, 30, tzinfo=datetime.UTC)
INVITED_BEFORE = INVITED_START - datetime.timedelta(days=10)


def plan(meeting, date: datetime.date, *, at: datetime.datetime | None = None, **fields):
    """Plan a meeting through the service as a key person would (09:30–16:00 by default);
    ``at`` is when the planning happens, so that the date is in the future then."""
    values = {
        "date": date,
        "start_time": datetime.time(9, 30),
        "end_time": datetime.time(16, 0),
        "host": None,
        "venue": "Stadshuset",
        "venue_address": "",
        "remote_link": "",
        "accessibility": [],
        **fields,
    }
    moment = at or datetime.datetime.combine(
        date - datetime.timedelta(days=30), datetime.time(8), tzinfo=datetime.UTC
    )
    with time_machine.travel(moment, tick=False):
        warnings = services.plan_meeting(meeting, **values)
    meeting.refresh_from_db()
    return warnings


from ..checklists.conftest import rounds, version  # noqa: E402, F401 - shared fixtures


@pytest.fixture
def invited_meeting(world):
    """The cluster's benchmarking meeting 1, hosted by the mentor, invitations sent."""
    meeting = world.cluster.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    plan(meeting, INVITED_START.date(), host=world.mentor)
    mailings.dispatch_due(INVITED_BEFORE)
    return meeting
