"""Settings of the processes the reliability tests start (workers, beat, dispatchers): the
app's own settings, with the outbox's timings from the environment in seconds, so that a lease,
a back-off ladder and the periodic job run their course within a test."""

from benchmarking.settings import *  # noqa: F403
from benchmarking.settings import env

OUTBOX_LEASE_SECONDS = env.float("OUTBOX_LEASE_SECONDS")
OUTBOX_RETRY_FIRST_SECONDS = env.float("OUTBOX_RETRY_FIRST_SECONDS")
OUTBOX_RETRY_MAX_SECONDS = env.float("OUTBOX_RETRY_MAX_SECONDS")
OUTBOX_RETRY_BUDGET_SECONDS = env.float("OUTBOX_RETRY_BUDGET_SECONDS")
OUTBOX_QUEUED_GRACE_SECONDS = env.float("OUTBOX_QUEUED_GRACE_SECONDS")
# Only the outbox's periodic job, often.
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-mail": {
        "task": "outbox.requeue_stale_mail",
        "schedule": env.float("OUTBOX_SWEEP_SECONDS"),
    }
}
