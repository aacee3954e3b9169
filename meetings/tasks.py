from celery import shared_task
from django.utils import timezone

from . import mailings, registrations
from .models import Meeting


@shared_task(name="meetings.dispatch_due")
def task_dispatch_due() -> int:
    return mailings.dispatch_due(timezone.now())


@shared_task(name="meetings.send_invitations")
def task_send_invitations(*, meeting_id: int) -> int:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None or meeting.invitations_sent_at is None:
        return 0  # not invited yet: the periodic job sends the first round when it is due
    return mailings.send_invitations(meeting)


@shared_task(name="meetings.erase_special_needs")
def task_erase_special_needs() -> int:
    return registrations.erase_special_needs(timezone.now())
