from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import autodiscover_modules
from huey.consumer_options import ConsumerConfig
from huey.contrib.djhuey import HUEY

from steward.core.tasks import record_heartbeat_task


class Command(BaseCommand):
    help = "Run the background worker: the task queue consumer and, unless --no-periodic, the scheduler."

    def add_arguments(self, parser):
        consumer = settings.HUEY.get("consumer", {})
        parser.add_argument(
            "--workers",
            type=int,
            default=consumer.get("workers", 2),
            help="Worker threads that run tasks (default: STEWARD_WORKER_THREADS or %(default)s).",
        )
        parser.add_argument(
            "--no-periodic",
            action="store_false",
            dest="periodic",
            help="Do not schedule periodic tasks; run exactly one worker with the scheduler in a scaled setup.",
        )
        parser.add_argument(
            "--shutdown-timeout",
            type=float,
            default=20.0,
            help="Seconds running tasks get to finish after SIGTERM before they are interrupted (default: %(default)s).",
        )

    def handle(self, *args, **options):
        if HUEY.immediate:
            raise CommandError("STEWARD_TASKS_IMMEDIATE is set: tasks run inline and there is no queue to work.")
        # Every app's tasks.py registers its tasks (and periodic tasks) with the consumer.
        autodiscover_modules("tasks")

        config = ConsumerConfig(
            **{
                **settings.HUEY.get("consumer", {}),
                "workers": options["workers"],
                "periodic": options["periodic"],
                # SIGTERM (systemd, containers, `steward serve`) lets running tasks finish.
                "graceful_signal": "TERM",
                "shutdown_timeout": options["shutdown_timeout"],
            }
        )
        config.validate()  # huey logs through the root logger that settings.LOGGING sets up

        # Report in at once rather than at the next full minute: /healthz shows the worker alive.
        record_heartbeat_task()
        HUEY.create_consumer(**config.values).run()
