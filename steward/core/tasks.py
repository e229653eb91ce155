"""Background jobs of the core: the worker's heartbeat."""

from huey import crontab
from huey.contrib.djhuey import periodic_task

from steward.core.health import record_worker_heartbeat


@periodic_task(crontab(minute="*"))
def record_heartbeat_task():
    """Record that a worker is alive and working the queue; /healthz reports its age."""
    # Returns nothing: a result would be kept in the queue's store every minute and never read.
    record_worker_heartbeat()
