"""Reading meetings the user may see; cluster scoping comes from programmes.selectors."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import ClusterMembership
from programmes.selectors import visible_clusters

from .enums import AgendaFormat, DocumentKind, Responsible
from .models import (
    AgendaItem,
    ChecklistTask,
    Meeting,
    MeetingDocument,
    Preparation,
    ScheduledItem,
)


def visible_meetings(user):
    return Meeting.objects.filter(cluster__in=visible_clusters(user))


def get_meeting_for_user(user, pk: int) -> Meeting:
    queryset = visible_meetings(user).select_related("cluster__programme", "host")
    return get_object_or_404(queryset, pk=pk)


def _mentor(memberships: list[ClusterMembership]):
    return next((m.organisation for m in memberships if m.is_mentor), None)


def _role_label(role: str, meeting: Meeting, mentor) -> str:
    if role == Responsible.HOST and meeting.host is not None:
        return meeting.host.name
    if role == Responsible.MENTOR and mentor is not None:
        return mentor.name
    return Responsible(role).label if role else ""


def agenda_schedule(meeting: Meeting, memberships: list[ClusterMembership]) -> list[ScheduledItem]:
    """The agenda with computed times and the name of who is responsible for each item."""
    items = meeting.agenda_items.select_related(
        "responsible_organisation", "responsible_person", "slot_organisation"
    )
    mentor = _mentor(memberships)
    schedule = meeting.schedule(items)
    for row in schedule:
        item = row.item
        if item.responsible_person is not None:
            row.responsible = item.responsible_person.full_name
        elif item.responsible_organisation is not None:
            row.responsible = item.responsible_organisation.name
        else:
            row.responsible = _role_label(item.responsible_role, meeting, mentor)
    return schedule


# Items a planner would rather not shorten to make the day fit.
FIXED_FORMATS = {AgendaFormat.BREAK, AgendaFormat.FIKA, AgendaFormat.LUNCH}


@dataclass
class AgendaFit:
    """Whether the agenda fits the meeting's day, and what could be shortened if not."""

    day_end: datetime.time
    ends: datetime.time | None
    over_by: int  # minutes past the end of the day
    spare: int  # minutes left before the end of the day
    shorten: list[ScheduledItem]
    slot_count: int

    @property
    def fits(self) -> bool:
        return self.over_by == 0

    @property
    def per_slot(self) -> int:
        """Minutes to take from each per-organisation slot to make the day fit."""
        return -(-self.over_by // self.slot_count) if self.slot_count else 0


def agenda_fit(meeting: Meeting, schedule: list[ScheduledItem]) -> AgendaFit:
    """How the agenda's end compares with the end of the day (the planned end, or 16:00);
    when it runs over, the longest items that are neither breaks nor per-organisation slots."""
    _start, day_end = meeting.day_bounds()
    base = datetime.date(2000, 1, 1)
    if not schedule:
        return AgendaFit(day_end, None, 0, 0, [], 0)
    last = max(
        datetime.datetime.combine(base, row.start) + datetime.timedelta(minutes=row.item.duration)
        for row in schedule
    )
    end_of_day = datetime.datetime.combine(base, day_end)
    over_by = max(0, int((last - end_of_day).total_seconds() // 60))
    spare = max(0, int((end_of_day - last).total_seconds() // 60))
    shorten = sorted(
        (
            row
            for row in schedule
            if row.item.format not in FIXED_FORMATS and not row.item.slot_organisation_id
        ),
        key=lambda row: -row.item.duration,
    )[:4]
    return AgendaFit(
        day_end=day_end,
        ends=last.time() if last.date() == base else datetime.time(23, 59),
        over_by=over_by,
        spare=spare,
        shorten=shorten if over_by else [],
        slot_count=sum(1 for row in schedule if row.item.slot_organisation_id),
    )


def model_notes(meeting: Meeting) -> dict:
    """The model's departures from SKR's example, discussion questions and materials for the
    meeting's kind, in the active language."""
    from django.utils.translation import get_language

    from .model_content import meeting_model

    language = "en" if get_language() == "en" else "sv"
    content = meeting_model()["meetings"].get(meeting.kind, {})

    def text(value):
        return value.get(language) or value.get("sv", "") if isinstance(value, dict) else value

    return {
        "source": text(content.get("source", "")),
        "departures": [text(d["text"]) for d in content.get("departures", [])],
        "questions": [text(q) for q in content.get("questions", [])],
        "materials": [
            {
                "title": text(m["title"]),
                "kind": m["kind"],
                "file": m.get("file", ""),
                "audience": m["for"],
                "url": m.get("url", ""),
                "note": text(m.get("note", "")),
            }
            for m in content.get("materials", [])
        ],
    }


def cluster_memberships(meeting: Meeting) -> list[ClusterMembership]:
    from programmes.selectors import memberships_of

    return memberships_of(meeting.cluster)


def checklist(meeting: Meeting, memberships: list[ClusterMembership]) -> list[ChecklistTask]:
    """The organiser's checklist, each task with ``owner_label`` set."""
    tasks = list(meeting.checklist_tasks.select_related("owner_person", "done_by"))
    mentor = _mentor(memberships)
    for task in tasks:
        task.meeting = meeting
        task.owner_label = (
            task.owner_person.full_name
            if task.owner_person
            else _role_label(task.owner_role, meeting, mentor)
        )
    return tasks


def concerns(preparation: Preparation, membership: ClusterMembership, meeting: Meeting) -> bool:
    if preparation.who == Responsible.MENTOR:
        return membership.is_mentor
    if preparation.who == Responsible.HOST:
        return membership.organisation_id == meeting.host_id
    return True


def preparations(meeting: Meeting, memberships: list[ClusterMembership]) -> list[Preparation]:
    """Preparations, each with ``cells`` per organisation: (membership, applies, done)."""
    preps = list(meeting.preparations.prefetch_related("done"))
    for prep in preps:
        prep.meeting = meeting
        done = {entry.organisation_id: entry for entry in prep.done.all()}
        prep.cells = [
            (m, concerns(prep, m, meeting), done.get(m.organisation_id)) for m in memberships
        ]
    return preps


@dataclass
class OrganisationStatus:
    """A row of the preparations table that the app can read off itself."""

    label: str
    cells: list[tuple[ClusterMembership, bool]]


def posted_material(
    memberships: list[ClusterMembership], documents: list[MeetingDocument]
) -> list[OrganisationStatus]:
    """Per organisation: has it described itself, has it posted a presentation?"""
    presenting = {d.organisation_id for d in documents if d.kind == DocumentKind.PRESENTATION}
    return [
        OrganisationStatus(
            _("Description of facts and current situation published"),
            [(m, bool(m.organisation.description.strip())) for m in memberships],
        ),
        OrganisationStatus(
            _("Presentation uploaded to this meeting"),
            [(m, m.organisation_id in presenting) for m in memberships],
        ),
    ]


def documents(meeting: Meeting) -> list[MeetingDocument]:
    return list(meeting.documents.select_related("organisation", "uploaded_by"))


def _get_in_visible_meeting(model, user, pk: int):
    """One object that belongs to a meeting the user can see, or 404."""
    queryset = model.objects.filter(meeting__in=visible_meetings(user)).select_related(
        "meeting__cluster__programme"
    )
    return get_object_or_404(queryset, pk=pk)


def get_document_for_user(user, pk: int) -> MeetingDocument:
    return _get_in_visible_meeting(MeetingDocument, user, pk)


def get_agenda_item_for_user(user, pk: int) -> AgendaItem:
    return _get_in_visible_meeting(AgendaItem, user, pk)


def get_task_for_user(user, pk: int) -> ChecklistTask:
    return _get_in_visible_meeting(ChecklistTask, user, pk)


def get_preparation_for_user(user, pk: int) -> Preparation:
    return _get_in_visible_meeting(Preparation, user, pk)


def overdue_tasks(cluster) -> list[ChecklistTask]:
    """Open organiser-checklist tasks of the cluster whose due date has passed: what people
    still have to do, not what the product does itself."""
    today = timezone.localdate()
    tasks = (
        ChecklistTask.objects.filter(
            meeting__cluster=cluster,
            done_at__isnull=True,
            meeting__starts_at__isnull=False,
            automatic="",  # the product does these itself
        )
        .select_related("meeting")
        .order_by("meeting__sequence", "days", "position")
    )
    return [task for task in tasks if task.due_date < today]


def registrations(meeting: Meeting) -> list:
    return list(
        meeting.registrations.select_related("person", "organisation").order_by(
            "organisation__name", "person__full_name"
        )
    )


def own_registration(user, meeting: Meeting):
    return meeting.registrations.filter(person=user).first()


def meeting_mails(meeting: Meeting) -> list:
    return list(meeting.mails.order_by("-created_at"))


def get_mail_for_planner(user, pk: int):
    from outbox.models import OutgoingMail

    from .permissions import can_plan_meeting

    mail = get_object_or_404(
        OutgoingMail.objects.filter(meeting__in=visible_meetings(user)).select_related(
            "meeting__cluster__programme"
        ),
        pk=pk,
    )
    if not can_plan_meeting(user, mail.meeting):
        raise PermissionDenied
    return mail


def attendees(meeting: Meeting) -> list:
    """Who registered to attend (in person or remotely), by organisation and name."""
    from .enums import Attendance
    from .models import Registration

    return list(
        Registration.objects.filter(
            meeting=meeting, attendance__in=[Attendance.IN_PERSON, Attendance.REMOTE]
        )
        .select_related("person", "organisation")
        .order_by("organisation__name", "person__full_name")
    )


def get_cluster_organisation(meeting: Meeting, pk: int):
    """An organisation of the meeting's cluster (404 for any other)."""
    from programmes.models import Organisation

    return get_object_or_404(Organisation, pk=pk, cluster_memberships__cluster=meeting.cluster)
