from django.core.management.base import BaseCommand, CommandError

from steward import demo
from steward.demo.builder import DemoExists, build_demo


class Command(BaseCommand):
    help = (
        "Fill the database with a demo provider: 15 clients, their people, a year of tickets and timesheets, "
        "technicians' capacity and absences, and ten projects (finished and in flight) with their forecasts. "
        "The same seed on the same day builds the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default: %(default)s).")
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Delete all clients (with their tickets and time), the demo users and catalogue first.",
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Share of the usual ticket volume, e.g. 0.1 (default: 1)."
        )

    def handle(self, *args, seed, flush, scale, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale must be between 0 and 10.")
        try:
            summary = build_demo(seed=seed, flush=flush, scale=scale, log=self.stdout.write)
        except DemoExists as exc:
            raise CommandError(str(exc)) from exc
        hours = summary.pop("hours by work type")
        seconds = summary.pop("seconds")
        self.stdout.write(self.style.SUCCESS(f"Demo built in {seconds:.1f} s (seed {seed})."))
        for name, count in summary.items():
            self.stdout.write(f"  {name:<18} {count:>8,}")
        total = sum(hours.values()) or 1
        logged = ", ".join(f"{kind} {value:,} h ({value / total:.0%})" for kind, value in sorted(hours.items()))
        self.stdout.write(f"  {'logged time':<18} {logged}")
        self.stdout.write("Sign in with:")
        for role, username, password in demo.logins():
            self.stdout.write(f"  {role:<44} {username:<40} {password}")
