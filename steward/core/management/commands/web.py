import os

from django.core.management.base import BaseCommand

from steward.core.processes import gunicorn_command


class Command(BaseCommand):
    help = "Run the web server alone (gunicorn), for the scaled setup with separate `steward worker` processes."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default: %(default)s).")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (default: %(default)s).")
        parser.add_argument("--workers", type=int, default=4, help="Web server processes (default: %(default)s).")
        parser.add_argument("--threads", type=int, default=4, help="Threads per process (default: %(default)s).")

    def handle(self, *args, **options):
        command = gunicorn_command(
            host=options["host"], port=options["port"], workers=options["workers"], threads=options["threads"]
        )
        # gunicorn takes over this process, so signals from systemd or a container reach it directly.
        os.execv(command[0], command)
