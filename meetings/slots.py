"""Per-organisation items of the model, made into one named slot per organisation of a cluster.

SKR's example agendas give a block such as "the benchmarking organisations present their
governance chains, 10 + 10 + 10 minutes each" sized for one mentor and two benchmarking
organisations. The model marks such an item ``per_organisation``; a meeting gets one agenda
item per organisation of its cluster instead, named, with that organisation responsible, in
the model's order (the host first or last). Items follow each other without fixed times, so
the rest of the day moves with them.

Before the invitations went out, a cluster's change of organisations re-plans the slots at
once; afterwards the meeting page offers the change and the planner applies it or keeps the
agenda (``slot_organisations`` on the meeting records which organisations the slots were
last planned for).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .enums import Responsible, SlotOrganisations
from .model_content import meeting_model
from .models import AgendaItem, Meeting

INTRO_SUFFIX = ".intro"


def per_organisation_items(kind: str) -> list[dict]:
    """The model's per-organisation agenda items of a meeting kind, in agenda order."""
    agenda = meeting_model()["meetings"][kind]["agenda"]
    return [item for item in agenda if item.get("per_organisation")]


def slot_organisations(spec: dict, memberships, host_id: int | None) -> list:
    """The organisations that get a slot, in order: the benchmarking organisations as the
    cluster lists them, then the mentor (when it takes part), the host moved first or last."""
    per = spec["per_organisation"]
    members = [m for m in memberships if not m.is_mentor]
    if per["organisations"] == SlotOrganisations.ALL:
        members += [m for m in memberships if m.is_mentor]
    organisations = [m.organisation for m in members]
    host = next((o for o in organisations if o.pk == host_id), None)
    if host is not None and per.get("host") in {"first", "last"}:
        organisations.remove(host)
        organisations.insert(0 if per["host"] == "first" else len(organisations), host)
    return organisations


def slot_item(meeting: Meeting, spec: dict, organisation, position: int = 0) -> AgendaItem:
    per = spec["per_organisation"]
    notes = per.get("notes", {})
    return AgendaItem(
        meeting=meeting,
        position=position,
        title=per["title"]["sv"].format(organisation=organisation.name)[:300],
        title_en=per["title"]["en"].format(organisation=organisation.name)[:300],
        duration=sum(per["minutes"]),
        format=spec["format"],
        responsible_role=Responsible.EACH_ORGANISATION,
        responsible_organisation=organisation,
        notes=notes.get("sv", ""),
        notes_en=notes.get("en", ""),
        model_key=spec["key"],
        slot_organisation=organisation,
    )


def model_items(meeting: Meeting, spec: dict, memberships) -> list[AgendaItem]:
    """The agenda items one model item becomes for this meeting (positions not yet set)."""
    if not spec.get("per_organisation"):
        notes = spec.get("notes", {})
        return [
            AgendaItem(
                meeting=meeting,
                title=spec["title"]["sv"],
                title_en=spec["title"]["en"],
                duration=spec["duration"],
                format=spec["format"],
                responsible_role=spec["responsible"],
                notes=notes.get("sv", ""),
                notes_en=notes.get("en", ""),
                model_key=spec["key"],
            )
        ]
    items = []
    intro = spec["per_organisation"].get("intro")
    if intro:
        items.append(
            AgendaItem(
                meeting=meeting,
                title=intro["title"]["sv"],
                title_en=intro["title"]["en"],
                duration=intro["duration"],
                format=intro["format"],
                responsible_role=intro["responsible"],
                model_key=spec["key"] + INTRO_SUFFIX,
            )
        )
    items += [
        slot_item(meeting, spec, organisation)
        for organisation in slot_organisations(spec, memberships, meeting.host_id)
    ]
    return items


@dataclass
class SlotChange:
    """Organisations that joined or left the cluster since the slots were planned."""

    joined: list = field(default_factory=list)
    left: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.joined or self.left)


def slot_change(meeting: Meeting, memberships, items=None) -> SlotChange:
    """What re-planning the slots would change: nothing for a meeting without
    per-organisation items or one that has ended."""
    if not per_organisation_items(meeting.kind):
        return SlotChange()
    if meeting.ends_at is not None and meeting.ends_at <= timezone.now():
        return SlotChange()
    planned = set(meeting.slot_organisations)
    current = {m.organisation_id for m in memberships}
    items = meeting.agenda_items.all() if items is None else items
    slotted = {i.slot_organisation_id: i.slot_organisation for i in items if i.slot_organisation_id}
    return SlotChange(
        joined=[m.organisation for m in memberships if m.organisation_id not in planned],
        left=[slotted[pk] for pk in sorted(planned - current) if pk in slotted],
    )


def _anchor(items: list[AgendaItem], keys: list[str], key: str) -> int:
    """Where a group without any slot goes: before the first item of a later model item."""
    later = set(keys[keys.index(key) + 1 :]) if key in keys else set()
    for index, item in enumerate(items):
        base = item.model_key.removesuffix(INTRO_SUFFIX)
        if base in later:
            return index
    return len(items)


@transaction.atomic
def replan_slots(meeting: Meeting, memberships) -> SlotChange:
    """Give organisations that joined since the last planning a slot in each
    per-organisation item and remove the slots of those that left. Slots the planner kept,
    edited or moved stay as they are; a new slot goes where the model's order puts it."""
    change = slot_change(meeting, memberships)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    items = list(meeting.agenda_items.order_by("position", "pk"))
    planned = set(meeting.slot_organisations)
    keys = [spec["key"] for spec in meeting_model()["meetings"][meeting.kind]["agenda"]]
    removed, created = [], []
    for spec in per_organisation_items(meeting.kind):
        wanted = slot_organisations(spec, memberships, meeting.host_id)
        wanted_ids = [o.pk for o in wanted]
        group = [i for i in items if i.model_key == spec["key"] and i.slot_organisation_id]
        kept = [i for i in group if i.slot_organisation_id in wanted_ids]
        removed += [i for i in group if i.slot_organisation_id not in wanted_ids]
        have = {i.slot_organisation_id for i in kept}
        new_group = list(kept)
        for index, organisation in enumerate(wanted):
            if organisation.pk in have or organisation.pk in planned:
                continue  # kept, or removed by the planner on purpose
            before = {o.pk for o in wanted[:index]}
            at = max(
                (n + 1 for n, i in enumerate(new_group) if i.slot_organisation_id in before),
                default=0,
            )
            item = slot_item(meeting, spec, organisation)
            new_group.insert(at, item)
            created.append(item)
        if group:
            first = items.index(group[0])
            rest = [i for i in items if i not in group]
            items = rest[:first] + new_group + rest[first:]
        else:
            at = _anchor(items, keys, spec["key"])
            items = items[:at] + new_group + items[at:]
    if removed:
        AgendaItem.objects.filter(pk__in=[i.pk for i in removed]).delete()
    for position, item in enumerate(items):
        item.position = position
    AgendaItem.objects.bulk_create(created)
    AgendaItem.objects.bulk_update([i for i in items if i not in created], ["position"])
    meeting.slot_organisations = sorted(m.organisation_id for m in memberships)
    meeting.save(update_fields=["slot_organisations", "updated_at"])
    return change


def keep_slots(meeting: Meeting, memberships) -> None:
    """The planner keeps the agenda as it is: the change is no longer offered."""
    Meeting.objects.filter(pk=meeting.pk).update(
        slot_organisations=sorted(m.organisation_id for m in memberships),
        updated_at=timezone.now(),
    )


def move_host_slot(meeting: Meeting, memberships) -> None:
    """Put the host's slot first or last in each per-organisation item, as the model says;
    the other slots keep their order."""
    items = list(meeting.agenda_items.order_by("position", "pk"))
    changed = False
    for spec in per_organisation_items(meeting.kind):
        where = spec["per_organisation"].get("host")
        group = [i for i in items if i.model_key == spec["key"] and i.slot_organisation_id]
        host = next((i for i in group if i.slot_organisation_id == meeting.host_id), None)
        if host is None or where not in {"first", "last"}:
            continue
        ordered = [i for i in group if i is not host]
        ordered.insert(0 if where == "first" else len(ordered), host)
        if ordered == group:
            continue
        first = items.index(group[0])
        rest = [i for i in items if i not in group]
        items = rest[:first] + ordered + rest[first:]
        changed = True
    if changed:
        for position, item in enumerate(items):
            item.position = position
        AgendaItem.objects.bulk_update(items, ["position"])
