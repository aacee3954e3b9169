import datetime

import time_machine

from meetings import services


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
