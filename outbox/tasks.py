from celery import shared_task

from . import services


@shared_task(name="outbox.send_mail", bind=True, max_retries=None)
def task_send_mail(self, *, mail_id: int) -> None:
    mail = services.claim_mail(mail_id)
    if mail is None:
        return
    try:
        services.deliver_mail(mail)
    except services.TemporaryMailError as error:
        # The row waits in 'retrying'; should this task be lost, the periodic job sends it.
        raise self.retry(eta=error.retry_after, exc=error) from error


@shared_task(name="outbox.requeue_stale_mail")
def task_requeue_stale_mail() -> int:
    return services.requeue_stale_mail()
