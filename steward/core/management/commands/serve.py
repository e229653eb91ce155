import os
import signal
import socket
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from steward.accounts.choices import Role
from steward.accounts.models import User
from steward.clients.models import Client
from steward.core.processes import Supervisor, gunicorn_command, worker_command

try:
    # The demo package is optional at this layer: serve only reads its logins to print them.
    from steward.demo import logins as demo_logins
except ImportError:
    demo_logins = None

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Command(BaseCommand):
    help = (
        "Run Steward all-in-one: migrate the database, then run the web server and the background "
        "worker with its scheduler until Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default: %(default)s).")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (default: %(default)s).")
        parser.add_argument("--workers", type=int, default=2, help="Web server processes (default: %(default)s).")
        parser.add_argument("--demo", action="store_true", help="Load the demo MSP when the database has no clients.")

    def handle(self, *args, **options):
        started = time.monotonic()
        host, port = options["host"], options["port"]
        self.stdout.write(f"Preparing the database ({settings.DATABASES['default']['NAME']})…")
        call_command("migrate", interactive=False, verbosity=max(0, options["verbosity"] - 1))
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["demo"] and not Client.objects.exists():
            self.stdout.write("Loading the demo data…")
            call_command("demo")
        # The children open their own connections; this process only supervises from here on.
        connections.close_all()

        url = f"http://{_display_host(host)}:{port}/"
        env = dict(os.environ)
        env.setdefault("STEWARD_SITE_URL", url.rstrip("/"))
        supervisor = Supervisor(env=env)
        stop_requested = []
        for signum in STOP_SIGNALS:
            signal.signal(signum, lambda signum, frame: stop_requested.append(signum))

        supervisor.start("web server", gunicorn_command(host=host, port=port, workers=options["workers"], threads=4))
        supervisor.start("worker", worker_command())
        try:
            if _wait_until_listening(host, port, supervisor, stop_requested):
                self._announce(url, host, time.monotonic() - started)
            elif not stop_requested and supervisor.exited() is None:
                self.stderr.write(f"The web server is not accepting connections on {url} yet; still waiting.")
            while not stop_requested and supervisor.exited() is None:
                time.sleep(0.2)
        finally:
            crashed = supervisor.exited()
            if not stop_requested:
                self.stderr.write("Stopping Steward…")
            supervisor.stop()
        if not stop_requested and crashed:
            name, code = crashed
            how = f"was killed by {signal.Signals(-code).name}" if code < 0 else f"exited with code {code}"
            raise CommandError(f"The {name} {how}; Steward stopped.")
        self.stdout.write("Steward stopped.")

    def _announce(self, url, host, seconds):
        self.stdout.write(self.style.SUCCESS(f"Steward is running at {url}") + f"  (ready in {seconds:.1f} s)")
        if host in ("0.0.0.0", "::") and not os.environ.get("STEWARD_ALLOWED_HOSTS"):
            self.stdout.write("Listening on all interfaces: set STEWARD_ALLOWED_HOSTS to the names clients use.")
        logins = _demo_logins()
        if logins:
            self.stdout.write("Demo logins:")
            width = max(len(username) for _, username, _ in logins)
            for role, username, password in logins:
                self.stdout.write(f"  {username:<{width}}  {password:<20}  {role}")
        elif not User.objects.filter(role=Role.ADMIN, is_active=True).exists():
            self.stdout.write("No admin yet: create one with `steward createadmin`.")
        connections.close_all()
        self.stdout.write("Press Ctrl-C to stop.")


def _display_host(host):
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def _wait_until_listening(host, port, supervisor, stop_requested, timeout=60):
    """True once the web server accepts connections; False if it died, was stopped or took too long."""
    address = (_display_host(host).strip("[]"), port)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not stop_requested and supervisor.exited() is None:
        try:
            with socket.create_connection(address, timeout=1):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def _demo_logins():
    """The demo accounts that exist in this database (none unless the demo data was loaded)."""
    if demo_logins is None:
        return []
    logins = list(demo_logins())  # (role, username, password)
    usernames = [username for _, username, _ in logins]
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    return [login for login in logins if login[1] in existing]
