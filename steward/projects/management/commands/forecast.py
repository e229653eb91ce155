"""`steward forecast run|backtest`: refresh the deadline forecasts now, or check how honest they have been."""

from django.core.management.base import BaseCommand, CommandError

from steward.projects import forecasting
from steward.projects.forecast import backtest


class Command(BaseCommand):
    help = "Deadline forecasts. `steward forecast run` refreshes them; `steward forecast backtest` replays history."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
        run = subcommands.add_parser("run", help="Forecast every open project now and print the results.")
        run.add_argument("--simulations", type=int, default=None, help="default: the forecast settings' number")
        replay = subcommands.add_parser(
            "backtest", help="Forecast finished projects as of earlier dates and compare with what happened."
        )
        replay.add_argument(
            "--as-of-fractions", default="0.25,0.5,0.75",
            help="points in each project's life to forecast from, as fractions from start to completion",
        )
        replay.add_argument("--simulations", type=int, default=2000)

    def handle(self, *args, **options):
        return getattr(self, f"handle_{options['subcommand']}")(**options)

    def handle_run(self, *, simulations=None, **options):
        forecasts = forecasting.refresh_forecasts(simulations=simulations)
        if not forecasts:
            self.stdout.write("No open projects to forecast.")
            return
        for forecast in forecasts:
            chance = "—" if forecast.probability_on_time is None else f"{forecast.probability_on_time:.0%}"
            who = forecast.bottleneck.display_name if forecast.bottleneck_id else "—"
            self.stdout.write(
                f"{forecast.project.name}: on time {chance}, P50 {forecast.p50_date or '—'}, "
                f"P90 {forecast.p90_date or '—'}, bottleneck {who}"
            )
            for line in forecast.explanations:
                self.stdout.write(f"    {line}")

    def handle_backtest(self, *, as_of_fractions="0.25,0.5,0.75", simulations=2000, **options):
        try:
            fractions = [float(part) for part in as_of_fractions.split(",") if part.strip()]
        except ValueError:
            raise CommandError("--as-of-fractions: give numbers between 0 and 1, e.g. 0.25,0.5,0.75") from None
        if not fractions or not all(0 <= f < 1 for f in fractions):
            raise CommandError("--as-of-fractions: give numbers from 0 up to (not including) 1, e.g. 0.25,0.5,0.75")
        report = backtest.run_backtest(fractions, simulations=simulations)
        for line in backtest.format_report(report):
            self.stdout.write(line)
