from celery import shared_task

from . import services


@shared_task(name="outbox.send_mail", bind=True, max_retries=services.MAX_ATTEMPTS)
def task_send_mail(self, *, mail_id: int) -> None:
    mail = services.claim_mail(mail_id)
    if mail is None:
        return
    try:
        services.deliver_mail(mail)
    except services.TemporaryMailError as error:
        # Capped exponential backoff: 30 s, 60 s, ... never more than an hour.
        raise self.retry(countdown=min(30 * 2**mail.attempts, 3600), exc=error) from error


@shared_task(name="outbox.requeue_stale_mail")
def task_requeue_stale_mail() -> int:
    return services.requeue_stale_mail()
