"""Creating and planning a cluster's meetings."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.selectors import memberships_of

from . import mailings, slots
from .enums import MeetingKind
from .model_content import meeting_model
from .models import (
    DEFAULT_END,
    DEFAULT_START,
    AgendaItem,
    ChecklistTask,
    Meeting,
    Preparation,
    PreparationDone,
)
from .permissions import can_change_host


def create_meetings_for_cluster(cluster) -> list[Meeting]:
    """Give a new cluster its four meetings with the model's purpose, agenda, preparations
    and organiser checklist. A per-organisation item of the model becomes one named slot per
    organisation of the cluster (``slots``). Dates and hosts are set when the key persons
    plan them."""
    model = meeting_model()
    memberships = memberships_of(cluster)
    organisation_ids = sorted(m.organisation_id for m in memberships)
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                cluster=cluster,
                kind=kind,
                sequence=index,
                theme=model["meetings"][kind]["theme"]["sv"],
                theme_en=model["meetings"][kind]["theme"]["en"],
                purpose=model["meetings"][kind]["purpose"]["sv"],
                purpose_en=model["meetings"][kind]["purpose"]["en"],
                outcomes="\n".join(model["meetings"][kind]["outcomes"]["sv"]),
                outcomes_en="\n".join(model["meetings"][kind]["outcomes"]["en"]),
                model_version=model["version"],
                slot_organisations=organisation_ids,
            )
            for index, kind in enumerate(MeetingKind)
        ]
    )
    if any(m.pk is None for m in meetings):  # backends without RETURNING
        meetings = list(cluster.meetings.order_by("sequence"))
    items, tasks, preparations = [], [], []
    for meeting in meetings:
        content = model["meetings"][meeting.kind]
        agenda = [
            item
            for spec in content["agenda"]
            for item in slots.model_items(meeting, spec, memberships)
        ]
        for position, item in enumerate(agenda):
            item.position = position
        items += agenda
        preparations += [
            Preparation(
                meeting=meeting,
                position=position,
                text=prep["text"]["sv"],
                text_en=prep["text"]["en"],
                days_before=prep["days_before"],
                who=prep["who"],
            )
            for position, prep in enumerate(content["preparations"])
        ]
        tasks += [
            ChecklistTask(
                meeting=meeting,
                position=position,
                phase=task["phase"],
                text=task["text"]["sv"],
                text_en=task["text"]["en"],
                days=task["days"],
                owner_role=task["owner"],
                automatic=task.get("automatic", ""),
            )
            for position, task in enumerate(model["organiser_checklist"])
        ]
    AgendaItem.objects.bulk_create(items)
    Preparation.objects.bulk_create(preparations)
    ChecklistTask.objects.bulk_create(tasks)
    return meetings


def replan_cluster_slots(cluster) -> None:
    """After organisations joined or left a cluster: re-plan the per-organisation slots of
    each meeting whose invitations have not gone out. A meeting already announced keeps its
    agenda; its page offers the change to the planner (``slots.slot_change``)."""
    memberships = memberships_of(cluster)
    now = timezone.now()
    for meeting in cluster.meetings.filter(invitations_sent_at=None):
        if meeting.starts_at is None or meeting.starts_at > now:
            slots.replan_slots(meeting, memberships)


@transaction.atomic
def apply_slot_change(meeting: Meeting, *, apply: bool) -> slots.SlotChange:
    """The planner's answer to the offered change: re-plan the slots, or keep the agenda."""
    memberships = memberships_of(meeting.cluster)
    if apply:
        return slots.replan_slots(meeting, memberships)
    slots.keep_slots(meeting, memberships)
    return slots.SlotChange()


PLAN_FIELDS = [
    "starts_at",
    "ends_at",
    "host",
    "venue",
    "venue_address",
    "remote_link",
    "accessibility",
]


def _aware(date: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(date, time, tzinfo=timezone.get_current_timezone())


@transaction.atomic
def plan_meeting(
    meeting: Meeting,
    *,
    date: datetime.date | None,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    host,
    venue: str,
    venue_address: str,
    remote_link: str,
    accessibility: list[str],
    planned_by=None,
) -> list[str]:
    """Save a meeting's date, host and venue. Returns warnings that do not stop the save.

    ``planned_by`` is the person saving the plan: once people have registered, only SKR's
    project manager may change the host (``can_change_host``). Without a person (data
    scripts) the host is not checked. The change itself is in the audit log.
    """
    start_time = start_time or DEFAULT_START
    end_time = end_time or DEFAULT_END
    if end_time <= start_time:
        raise ValidationError({"end_time": _("The meeting must end after it starts.")})
    if date is not None and date != meeting.date and date < timezone.localdate():
        raise ValidationError({"date": _("The date has already passed. Choose a later date.")})
    if host is not None and not meeting.cluster.memberships.filter(organisation=host).exists():
        raise ValidationError({"host": _("The host must be an organisation of the cluster.")})
    # Lock the row: two planners saving at once must each raise the version once.
    locked = (
        Meeting.objects.select_for_update()
        .only("invitation_version", "invitations_sent_at", *PLAN_FIELDS)
        .get(pk=meeting.pk)
    )
    meeting.invitation_version = locked.invitation_version
    meeting.invitations_sent_at = locked.invitations_sent_at
    if date is None and locked.invitations_sent_at is not None:
        raise ValidationError(
            {"date": _("The invitations have gone out: change the date rather than remove it.")}
        )
    host_changed = (host.pk if host is not None else None) != locked.host_id
    if host_changed and planned_by is not None and not can_change_host(planned_by, meeting):
        raise ValidationError(
            {
                "host": ValidationError(
                    _(
                        "People have registered for this meeting, and the host's key persons "
                        "see their special needs. Only SKR's project manager can change the "
                        "host now: ask them."
                    ),
                    code="host_locked",
                )
            }
        )
    before = {name: getattr(locked, name) for name in mailings.INVITATION_FIELDS}
    meeting.starts_at = _aware(date, start_time) if date else None
    meeting.ends_at = _aware(date, end_time) if date else None
    meeting.host = host
    meeting.venue = venue
    meeting.venue_address = venue_address
    meeting.remote_link = remote_link
    meeting.accessibility = accessibility
    if mailings.invitation_changed(meeting, before):
        meeting.invitation_version += 1
    meeting.save(update_fields=[*PLAN_FIELDS, "invitation_version", "updated_at"])
    if meeting.invitation_version > 1 and meeting.invitations_sent_at is not None:
        mailings.enqueue_meeting_dispatch(meeting)  # participants get the update now
    if host_changed and meeting.invitations_sent_at is None:
        slots.move_host_slot(meeting, memberships_of(meeting.cluster))
    warnings = []
    if host is not None:
        other = meeting.cluster.meetings.filter(host=host).exclude(pk=meeting.pk).first()
        if other is not None:
            warnings.append(
                _("%(host)s also hosts %(meeting)s. Each organisation usually hosts one meeting.")
                % {"host": host, "meeting": other.get_kind_display().lower()}
            )
    return warnings


def _next_position(meeting: Meeting) -> int:
    top = meeting.agenda_items.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def save_agenda_item(meeting: Meeting, item: AgendaItem | None, **fields) -> AgendaItem:
    """Add an item at the end of the agenda, or change an existing one."""
    if item is None:
        item = AgendaItem(meeting=meeting, position=_next_position(meeting))
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def delete_agenda_item(item: AgendaItem) -> None:
    meeting = item.meeting
    item.delete()
    AgendaItem.objects.filter(meeting=meeting, position__gt=item.position).update(
        position=F("position") - 1
    )


@transaction.atomic
def move_agenda_item(item: AgendaItem, direction: str) -> None:
    """Swap the item with its neighbour above (``up``) or below (``down``)."""
    items = list(item.meeting.agenda_items.select_for_update().order_by("position", "pk"))
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, candidate in enumerate(items):
        candidate.position = position
    AgendaItem.objects.bulk_update(items, ["position"])


def set_task_done(task: ChecklistTask, *, done: bool, user) -> ChecklistTask:
    task.done_at = timezone.now() if done else None
    task.done_by = user if done else None
    task.done_automatically = False
    task.save(update_fields=["done_at", "done_by", "done_automatically"])
    return task


def set_preparation_done(preparation: Preparation, organisation, *, done: bool, user) -> None:
    if done:
        PreparationDone.objects.get_or_create(
            preparation=preparation, organisation=organisation, defaults={"done_by": user}
        )
    else:
        PreparationDone.objects.filter(preparation=preparation, organisation=organisation).delete()


def add_document(
    meeting: Meeting, *, uploaded, content_type: str, title: str, kind: str, organisation, user
):
    """Store an uploaded document (already checked by its content) under a random name."""
    from .models import MeetingDocument

    return MeetingDocument.objects.create(
        meeting=meeting,
        organisation=organisation,
        kind=kind,
        title=(title or uploaded.name)[:200],
        file=uploaded,
        original_name=uploaded.name[:255],
        content_type=content_type,
        size=uploaded.size,
        uploaded_by=user,
    )


def delete_document(document) -> None:
    document.file.delete(save=False)
    document.delete()
