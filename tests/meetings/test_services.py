import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from meetings import services
from meetings.enums import AgendaFormat, MeetingKind
from meetings.model_content import meeting_model
from meetings.models import AgendaItem

from ..factories import OrganisationFactory

TODAY = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def meeting(world):
    return world.cluster.meetings.get(kind=MeetingKind.BENCHMARKING_2)


def _plan(meeting, **overrides):
    fields = {
        "date": datetime.date(2027, 3, 10),
        "start_time": datetime.time(9, 30),
        "end_time": datetime.time(16, 0),
        "host": None,
        "venue": "Stadshuset",
        "venue_address": "Fyristorg 1, Uppsala",
        "remote_link": "",
        "accessibility": ["hearing_loop"],
    }
    return services.plan_meeting(meeting, **{**fields, **overrides})


def test_new_cluster_meetings_carry_the_model(world):
    model = meeting_model()
    meeting = world.cluster.meetings.get(kind=MeetingKind.STARTUP)
    organisations = [world.benchmarking_organisation.name, world.mentor.name]

    schedule = meeting.schedule()

    # The model's items in its order; its per-organisation item becomes one item per
    # organisation of the cluster (one mentor and one benchmarking organisation here).
    expected = []
    for item in model["meetings"]["startup"]["agenda"]:
        per = item.get("per_organisation")
        if per:
            expected += [per["title"]["sv"].format(organisation=name) for name in organisations]
        else:
            expected.append(item["title"]["sv"])
    assert meeting.purpose == model["meetings"]["startup"]["purpose"]["sv"]
    assert [row.item.title for row in schedule] == expected
    # A cluster smaller than SKR's example (mentor and two) ends ten minutes early.
    assert (schedule[0].start, schedule[-1].end) == (datetime.time(9, 30), datetime.time(15, 50))
    assert not any(row.flagged for row in schedule)
    assert meeting.checklist_tasks.count() == len(model["organiser_checklist"])
    assert meeting.preparations.count() == len(model["meetings"]["startup"]["preparations"])


@time_machine.travel(TODAY, tick=False)
def test_plan_meeting_sets_date_times_and_venue(meeting):
    _plan(meeting)

    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2027, 3, 10)
    assert meeting.day_bounds() == (datetime.time(9, 30), datetime.time(16, 0))
    assert meeting.accessibility_labels == ["Hörslinga"]


@time_machine.travel(TODAY, tick=False)
def test_plan_meeting_in_the_past_is_refused_and_nothing_changes(meeting):
    _plan(meeting)

    with pytest.raises(ValidationError) as error:
        _plan(meeting, date=datetime.date(2026, 1, 1), venue="Annat")

    meeting.refresh_from_db()
    assert "date" in error.value.error_dict
    assert (meeting.date, meeting.venue) == (datetime.date(2027, 3, 10), "Stadshuset")


@time_machine.travel(TODAY, tick=False)
def test_plan_meeting_that_ends_before_it_starts_is_refused(meeting):
    with pytest.raises(ValidationError) as error:
        _plan(meeting, start_time=datetime.time(15), end_time=datetime.time(9))

    assert "end_time" in error.value.error_dict


@time_machine.travel(TODAY, tick=False)
def test_host_outside_the_cluster_is_refused(meeting):
    with pytest.raises(ValidationError):
        _plan(meeting, host=OrganisationFactory())


@time_machine.travel(TODAY, tick=False)
def test_organisation_hosting_twice_gives_a_warning(world, meeting):
    _plan(world.cluster.meetings.get(kind=MeetingKind.STARTUP), host=world.mentor)

    warnings = _plan(meeting, host=world.mentor)

    assert len(warnings) == 1
    assert world.mentor.name in warnings[0]


def test_moving_an_item_recomputes_times(meeting):
    first, second = list(meeting.agenda_items.all())[:2]

    services.move_agenda_item(second, "up")

    schedule = meeting.schedule()
    assert [row.item.pk for row in schedule[:2]] == [second.pk, first.pk]
    assert schedule[0].start == datetime.time(9, 30)
    assert (
        schedule[1].start
        == (
            datetime.datetime(2000, 1, 1, 9, 30) + datetime.timedelta(minutes=second.duration)
        ).time()
    )


def test_moving_the_first_item_up_changes_nothing(meeting):
    before = list(meeting.agenda_items.values_list("pk", flat=True))

    services.move_agenda_item(meeting.agenda_items.first(), "up")

    assert list(meeting.agenda_items.values_list("pk", flat=True)) == before


def test_overlap_and_past_end_are_flagged(meeting):
    items = list(meeting.agenda_items.all())
    services.save_agenda_item(meeting, items[2], fixed_start=datetime.time(9, 31))
    services.save_agenda_item(
        meeting, None, title="Extra", duration=120, format=AgendaFormat.PLENARY
    )

    schedule = meeting.schedule()

    assert schedule[2].overlaps
    assert schedule[-1].past_end
    assert not schedule[0].flagged


def test_delete_keeps_positions_consecutive(meeting):
    services.delete_agenda_item(meeting.agenda_items.all()[1])

    positions = list(meeting.agenda_items.values_list("position", flat=True))
    assert positions == list(range(len(positions)))


def test_agenda_item_without_duration_is_invalid(meeting):
    with pytest.raises(ValidationError):
        services.save_agenda_item(meeting, None, title="x", duration=0, format="plenary")

    assert not AgendaItem.objects.filter(title="x").exists()


@time_machine.travel(TODAY, tick=False)
def test_overdue_tasks_are_open_tasks_past_their_due_date(world, meeting):
    from meetings.selectors import overdue_tasks

    _plan(meeting, date=datetime.date(2026, 11, 30))
    due_before_today = [t for t in meeting.checklist_tasks.all() if t.due_date < TODAY.date()]
    services.set_task_done(due_before_today[0], done=True, user=world.key_person)

    overdue = overdue_tasks(world.cluster)

    # What the product does itself (the invitation, the registration) is never overdue.
    assert sorted(t.pk for t in overdue) == sorted(
        t.pk for t in due_before_today[1:] if not t.automatic
    )
    assert len(overdue) >= 1


def test_first_item_before_the_day_is_flagged_but_does_not_overlap(meeting):
    first = meeting.agenda_items.first()
    services.save_agenda_item(meeting, first, fixed_start=datetime.time(9, 0))

    row = meeting.schedule()[0]

    assert (row.before_start, row.overlaps) == (True, False)
