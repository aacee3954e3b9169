"""Login links and invitation mails."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from outbox.enums import MailPurpose
from outbox.models import OutgoingMail
from outbox.services import queue_mail

from .tokens import make_login_token


def login_link_url(user) -> str:
    path = reverse("accounts:login_link", kwargs={"token": make_login_token(user)})
    return f"{settings.SITE_URL}{path}"


def send_login_link(email: str) -> bool:
    """Mail a one-time login link if an active account has this address.

    Returns whether a mail was queued; callers must not reveal it (no account probing).
    Runs in a worker (``task_send_login_link``), after the response, so that the time a
    request takes does not reveal it either.
    """
    user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return False
    recently = timezone.now() - timedelta(seconds=settings.LOGIN_LINK_THROTTLE)
    if OutgoingMail.objects.filter(
        recipient=user, purpose=MailPurpose.LOGIN_LINK, created_at__gte=recently
    ).exists():
        return False  # one link at a time: nobody can flood a mailbox from the login page
    # Keyed by the throttle's time window too: parallel requests for one address (handled by
    # several workers at once) queue one link, not one each.
    window = int(timezone.now().timestamp()) // max(settings.LOGIN_LINK_THROTTLE, 1)
    _mail, created = queue_mail(
        purpose=MailPurpose.LOGIN_LINK,
        template="login_link",
        context={"login_url": login_link_url(user)},
        recipient=user,
        key=f"login-link:{user.pk}:{window}",
    )
    return created


def send_person_invitation(*, assignment, invited_by) -> None:
    """Tell a person about their new role, with a link that logs them in."""
    queue_mail(
        purpose=MailPurpose.PERSON_INVITATION,
        template="person_invitation",
        context={
            "assignment": assignment,
            "invited_by": invited_by,
            "login_url": login_link_url(assignment.person),
        },
        recipient=assignment.person,
        key=f"person-invitation:{assignment.pk}",
    )
