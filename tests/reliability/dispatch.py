"""A dispatcher process: queues a login link to each person named on the command line, in one
transaction, as a web request or a periodic job would (``python -m tests.reliability.dispatch
ID ...``)."""

import sys

import django


def main(person_ids: list[int]) -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from outbox.enums import MailPurpose
    from outbox.services import queue_mail

    with transaction.atomic():
        for person in get_user_model().objects.filter(pk__in=person_ids).order_by("pk"):
            queue_mail(
                purpose=MailPurpose.LOGIN_LINK,
                template="login_link",
                context={"login_url": f"http://localhost/login/{person.pk}/"},
                recipient=person,
            )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]])
