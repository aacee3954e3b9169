import datetime
import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benchmarking.bilingual import BilingualMixin

from ..enums import (
    AgendaFormat,
    AutomaticTask,
    ChecklistPhase,
    DocumentKind,
    MeetingKind,
    Responsible,
)

DEFAULT_START = datetime.time(9, 30)
DEFAULT_END = datetime.time(16, 0)


class Meeting(BilingualMixin, models.Model):
    cluster = models.ForeignKey(
        "programmes.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    kind = models.CharField(_("meeting"), max_length=20, choices=MeetingKind.choices)
    sequence = models.PositiveSmallIntegerField(_("order"))
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    theme_en = models.CharField(_("theme (English)"), max_length=200, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    purpose_en = models.TextField(_("purpose (English)"), blank=True)
    outcomes = models.TextField(
        _("what participants leave with"), blank=True, help_text=_("One point per line.")
    )
    outcomes_en = models.TextField(_("what participants leave with (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    host = models.ForeignKey(
        "programmes.Organisation",
        verbose_name=_("host organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_meetings",
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    venue_address = models.TextField(_("address and directions"), blank=True)
    remote_link = models.URLField(_("link for remote participation"), blank=True)
    accessibility = models.JSONField(_("venue checklist"), default=list, blank=True)
    # Raised when what an invitation says (date, times, host, venue, link) changes; mails
    # and the calendar entry carry it so that a change reaches everyone as an update.
    invitation_version = models.PositiveIntegerField(default=1, editable=False)
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    model_version = models.PositiveSmallIntegerField(_("model version"), default=0)
    # The organisations the agenda's per-organisation slots were last planned for (ids): a
    # cluster that differs from it after the invitations went out is offered to the planner.
    slot_organisations = models.JSONField(default=list, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["cluster", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "kind"], name="meeting_kind_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.cluster}"

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", kwargs={"pk": self.pk})

    @property
    def localized_theme(self) -> str:
        return self.localized("theme")

    @property
    def localized_purpose(self) -> str:
        return self.localized("purpose")

    @property
    def date(self) -> datetime.date | None:
        return timezone.localtime(self.starts_at).date() if self.starts_at else None

    @property
    def outcome_list(self) -> list[str]:
        return [line.strip() for line in self.localized("outcomes").splitlines() if line.strip()]

    @property
    def accessibility_labels(self) -> list[str]:
        from ..enums import VenueFeature

        return [str(VenueFeature(key).label) for key in self.accessibility if key in VenueFeature]

    def day_bounds(self) -> tuple[datetime.time, datetime.time]:
        start = timezone.localtime(self.starts_at).time() if self.starts_at else DEFAULT_START
        end = timezone.localtime(self.ends_at).time() if self.ends_at else DEFAULT_END
        return start, end

    def schedule(self, items=None) -> list["ScheduledItem"]:
        """Each agenda item with its computed start and end, flagged when it overlaps the
        previous item, starts before the day begins or runs past its end."""
        day_start, day_end = self.day_bounds()
        base = datetime.date(2000, 1, 1)
        start_of_day = datetime.datetime.combine(base, day_start)
        end_of_day = datetime.datetime.combine(base, day_end)
        cursor, previous_end = start_of_day, None
        scheduled = []
        for item in self.agenda_items.all() if items is None else items:
            start = (
                datetime.datetime.combine(base, item.fixed_start) if item.fixed_start else cursor
            )
            end = start + datetime.timedelta(minutes=item.duration)
            scheduled.append(
                ScheduledItem(
                    item=item,
                    start=start.time(),
                    end=end.time() if end.date() == base else datetime.time(23, 59),
                    overlaps=previous_end is not None and start < previous_end,
                    before_start=start < start_of_day,
                    past_end=end > end_of_day,
                )
            )
            previous_end = end if previous_end is None else max(previous_end, end)
            cursor = max(cursor, end)
        return scheduled


@dataclass
class ScheduledItem:
    item: "AgendaItem"
    start: datetime.time
    end: datetime.time
    overlaps: bool
    before_start: bool
    past_end: bool
    responsible: str = ""

    @property
    def flagged(self) -> bool:
        return self.overlaps or self.before_start or self.past_end


class AgendaItem(BilingualMixin, models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    fixed_start = models.TimeField(
        _("fixed start"),
        null=True,
        blank=True,
        help_text=_("Leave empty to start when the previous item ends."),
    )
    duration = models.PositiveSmallIntegerField(_("duration (minutes)"))
    format = models.CharField(_("format"), max_length=20, choices=AgendaFormat.choices)
    responsible_role = models.CharField(
        _("responsible (from the model)"), max_length=20, choices=Responsible.choices, blank=True
    )
    responsible_organisation = models.ForeignKey(
        "programmes.Organisation",
        verbose_name=_("responsible organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    notes_en = models.TextField(_("notes (English)"), blank=True)
    # The model item this item was made from (blank for items a planner added); a slot of a
    # per-organisation item also names the organisation it is for.
    model_key = models.CharField(max_length=60, blank=True, editable=False)
    slot_organisation = models.ForeignKey(
        "programmes.Organisation",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(duration__gt=0), name="agenda_item_duration")
        ]

    def __str__(self):
        return self.title

    @property
    def localized_title(self) -> str:
        return self.localized("title")

    @property
    def localized_notes(self) -> str:
        return self.localized("notes")


class ChecklistTaskQuerySet(models.QuerySet):
    def done_by_the_product(self, meeting_id: int, kinds: list[str]) -> int:
        """Tick off the open tasks of these kinds that the product has just carried out."""
        return self.filter(meeting_id=meeting_id, automatic__in=kinds, done_at=None).update(
            done_at=timezone.now(), done_by=None, done_automatically=True
        )


class ChecklistTask(BilingualMixin, models.Model):
    """One point of the organiser's checklist for a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="checklist_tasks")
    position = models.PositiveIntegerField(_("position"))
    phase = models.CharField(_("phase"), max_length=10, choices=ChecklistPhase.choices)
    text = models.CharField(_("task"), max_length=400)
    text_en = models.CharField(_("task (English)"), max_length=400, blank=True)
    days = models.SmallIntegerField(
        _("due (days from the meeting)"),
        default=0,
        help_text=_("Negative before the meeting, positive after it."),
    )
    owner_role = models.CharField(
        _("owner (from the model)"), max_length=20, choices=Responsible.choices, blank=True
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    automatic = models.CharField(
        _("done by the product"), max_length=20, choices=AutomaticTask.choices, blank=True
    )
    done_automatically = models.BooleanField(_("done automatically"), default=False)

    objects = ChecklistTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("organiser checklist task")
        verbose_name_plural = _("organiser checklist tasks")
        ordering = ["meeting", "position"]

    def __str__(self):
        return self.text

    @property
    def localized_text(self) -> str:
        return self.localized("text")

    @property
    def due_date(self) -> datetime.date | None:
        date = self.meeting.date
        return date + datetime.timedelta(days=self.days) if date else None

    @property
    def is_overdue(self) -> bool:
        """Only what people still have to do: the product does the automatic tasks itself."""
        due = self.due_date
        return (
            not self.automatic
            and self.done_at is None
            and due is not None
            and due < timezone.localdate()
        )


class Preparation(BilingualMixin, models.Model):
    """Something the model asks organisations to do before a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="preparations")
    position = models.PositiveIntegerField(_("position"))
    text = models.CharField(_("preparation"), max_length=400)
    text_en = models.CharField(_("preparation (English)"), max_length=400, blank=True)
    days_before = models.PositiveSmallIntegerField(_("days before the meeting"), default=7)
    who = models.CharField(_("who"), max_length=20, choices=Responsible.choices)

    class Meta:
        verbose_name = _("preparation")
        verbose_name_plural = _("preparations")
        ordering = ["meeting", "position"]

    def __str__(self):
        return self.text

    @property
    def localized_text(self) -> str:
        return self.localized("text")

    @property
    def due_date(self) -> datetime.date | None:
        date = self.meeting.date
        return date - datetime.timedelta(days=self.days_before) if date else None


class PreparationDone(models.Model):
    preparation = models.ForeignKey(Preparation, on_delete=models.CASCADE, related_name="done")
    organisation = models.ForeignKey(
        "programmes.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    done_at = models.DateTimeField(_("done"), default=timezone.now)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("preparation done")
        verbose_name_plural = _("preparations done")
        constraints = [
            models.UniqueConstraint(
                fields=["preparation", "organisation"], name="preparation_done_once"
            )
        ]

    def __str__(self):
        return f"{self.preparation} – {self.organisation}"


def document_path(instance, filename: str) -> str:
    """A non-guessable name; the original name is kept on the row for downloads."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"meetings/{instance.meeting_id}/{uuid.uuid4().hex}{suffix}"


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    organisation = models.ForeignKey(
        "programmes.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting", "-uploaded_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:document_download", kwargs={"pk": self.pk})
