"""Properties of the meeting forms and the participant list export, for any input."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from hypothesis import assume, example, given
from hypothesis import strategies as st

from meetings import evaluations, selectors
from meetings.documents.participants import participant_list_xlsx
from meetings.enums import Attendance, Diet
from meetings.forms import AgendaItemForm, EvaluationForm, MeetingPlanForm, RegistrationForm
from meetings.models import AgendaItem, EvaluationAnswer, Meeting, Registration
from programmes.models import Organisation

from ..strategies import (
    DB_EXAMPLES,
    PURE_EXAMPLES,
    TEXT,
    as_written,
    assert_no_formulas,
    bind,
    random_valid_form,
    reopened,
    storable_spreadsheet_text,
)


def _field(model, name):
    return model._meta.get_field(name)


def _organisations(world):
    return Organisation.objects.filter(cluster_memberships__cluster=world.cluster)


FORMS = {
    "meeting_plan": lambda world: (
        lambda data: MeetingPlanForm(data, organisations=_organisations(world)),
        {name: _field(Meeting, name) for name in ("venue", "venue_address", "remote_link")},
    ),
    "agenda_item": lambda world: (
        lambda data: AgendaItemForm(
            data, organisations=_organisations(world), people=get_user_model().objects.all()
        ),
        {
            name: _field(AgendaItem, name)
            for name in ("title", "title_en", "notes", "notes_en", "duration")
        },
    ),
    "registration": lambda world: (
        RegistrationForm,
        {
            name: _field(Registration, name)
            for name in ("diet_other", "accessibility", "other_needs")
        },
    ),
    "evaluation": lambda world: (
        lambda data: EvaluationForm(
            data,
            questions=evaluations.questions(),
            scale=evaluations.evaluation_model()["scale"],
        ),
        {"comment": _field(EvaluationAnswer, "comment")},
    ),
}


@pytest.mark.parametrize("name", sorted(FORMS))
@DB_EXAMPLES
@given(data=st.data())
def test_meeting_forms_never_fail_and_keep_their_limits(name, world, data):
    make_form, model_fields = FORMS[name](world)

    # With start and end times the form computes the duration itself, and it may then
    # exceed the 600 minutes the duration field allows when typed (up to 1439).
    random_valid_form(
        data, make_form, model_fields, computed=["duration"] if name == "agenda_item" else []
    )


@PURE_EXAMPLES
@given(
    attendance=st.sampled_from(Attendance.values),
    diets=st.lists(st.sampled_from(Diet.values), unique=True),
    hearing_loop=st.booleans(),
    texts=st.lists(TEXT, min_size=3, max_size=3),
)
@example(
    attendance=Attendance.IN_PERSON,
    diets=[],
    hearing_loop=False,
    texts=["  vegan  ", "=1+1", "x" * 301],
)
def test_registration_form_keeps_what_was_answered(attendance, diets, hearing_loop, texts):
    data = MultiValueDict({"attendance": [attendance], "diets": diets})
    if hearing_loop:
        data["hearing_loop"] = "on"
    for name, text in zip(("diet_other", "accessibility", "other_needs"), texts, strict=True):
        data[name] = text

    with translation.override("sv"):
        form = RegistrationForm(data)
        valid = form.is_valid()

    expected_valid = all(len(text.strip()) <= 300 and "\x00" not in text for text in texts)
    assert valid is expected_valid, form.errors
    if valid:
        assert form.cleaned_data == {
            "attendance": attendance,
            "diets": diets,
            "hearing_loop": hearing_loop,
            "diet_other": texts[0].strip(),
            "accessibility": texts[1].strip(),
            "other_needs": texts[2].strip(),
        }


def _minutes(moment: datetime.time) -> int:
    return moment.hour * 60 + moment.minute


@DB_EXAMPLES
@given(
    start=st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    end=st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    duration=st.none() | st.integers(-5, 700),
)
def test_agenda_item_duration_follows_the_times(world, start, end, duration):
    data = {"title": "Fika", "format": "break"}
    for key, value in (("start", start), ("end", end)):
        if value is not None:
            data[key] = value.strftime("%H:%M")
    if duration is not None:
        data["duration"] = str(duration)
    make_form, _fields = FORMS["agenda_item"](world)

    form = bind(make_form, data)

    if not form.is_valid():
        return
    cleaned = form.cleaned_data["duration"]
    assert 1 <= cleaned <= 32767  # what a PositiveSmallIntegerField holds on every database
    if end is not None:
        assert start is not None and end > start
        assert cleaned == _minutes(end) - _minutes(start)
    else:
        assert cleaned == duration


@pytest.fixture
def registration(world):
    meeting = world.cluster.meetings.order_by("pk").first()
    return Registration.objects.create(
        meeting=meeting,
        person=world.participant,
        organisation=world.benchmarking_organisation,
        attendance=Attendance.IN_PERSON,
    )


NEEDS = storable_spreadsheet_text(300)  # each special need's column holds 300 characters
NAMES = storable_spreadsheet_text(200)


@DB_EXAMPLES
@given(
    full_name=NAMES,
    organisation_name=NAMES,
    diet_other=NEEDS,
    accessibility=NEEDS,
    other_needs=NEEDS,
)
@example(
    full_name='=HYPERLINK("https://x.example")',
    organisation_name="@Kommun",
    diet_other="\x01=SUM(A1:A9)",
    accessibility="\ufffe\uffff",
    other_needs="a\r\nb\rc" * 50,
)
def test_participant_list_holds_every_answer_as_text(
    registration, full_name, organisation_name, diet_other, accessibility, other_needs
):
    organisation = registration.organisation
    assume(not Organisation.objects.filter(name=organisation_name).exclude(pk=organisation.pk))
    organisation.name = organisation_name
    organisation.save()
    registration.person.full_name = full_name
    registration.person.save()
    registration.diet_other = diet_other
    registration.accessibility = accessibility
    registration.other_needs = other_needs
    registration.save()
    meeting = registration.meeting

    with translation.override("sv"):
        _name, _type, content = participant_list_xlsx(meeting, selectors.registrations(meeting))

    workbook = reopened(content)
    assert_no_formulas(workbook)
    rows = {
        row[2].value: [cell.value or "" for cell in row]
        for row in workbook.worksheets[0].iter_rows(min_row=2)
    }
    row = rows[registration.person.email]
    assert [row[0], row[1], row[5], row[7], row[8]] == [
        as_written(full_name),
        as_written(organisation_name),
        as_written(diet_other),
        as_written(accessibility),
        as_written(other_needs),
    ]
