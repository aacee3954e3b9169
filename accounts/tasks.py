from celery import shared_task

from . import services


@shared_task(name="accounts.send_login_link")
def task_send_login_link(*, email: str) -> bool:
    return services.send_login_link(email)
