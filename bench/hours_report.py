"""Hours-report benchmark: time the "where the hours go" queries over two years of time entries.

    .venv/bin/python bench/hours_report.py [--rebuild] [--entries 2000000] [--runs 7] [--explain]
    .venv/bin/python bench/hours_report.py --sqlite          # a smaller run on SQLite

PostgreSQL (default): the database at --postgres-url (steward_bench_hours) is created and
filled on the first run with ~60 technicians, ~1,000 clients with contracts, ~500,000
tickets with categories and software and N time entries over the last two years (COPY, then
VACUUM ANALYZE); later runs reuse it unless --rebuild. SQLite: a file in a temporary folder,
filled with a tenth of the volume. Each query the dashboard runs for a 12-month period is
then timed several times; the median and worst are printed against the 1 s goal, followed
by the whole dashboard page through Django's test client.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from desk import use_steward_settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://steward:steward@127.0.0.1:5432/steward_bench_hours"
GOAL_MS = 1000
WORK_MIX = (("reactive", 0.45), ("project", 0.30), ("proactive", 0.15), ("admin", 0.10))


def log(message):
    print(message, file=sys.stderr, flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres-url", default=os.environ.get("STEWARD_BENCH_HOURS_URL", DEFAULT_POSTGRES_URL))
    parser.add_argument("--sqlite", action="store_true", help="Run on a SQLite file instead (a tenth of the volume).")
    parser.add_argument("--rebuild", action="store_true", help="Drop and refill the benchmark database.")
    parser.add_argument("--entries", type=int, help="Time entries (default 2,000,000; 200,000 with --sqlite).")
    parser.add_argument("--tickets", type=int, help="Tickets (default 500,000; 50,000 with --sqlite).")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--technicians", type=int, default=60)
    parser.add_argument("--runs", type=int, default=7, help="Timed runs per query (default 7).")
    parser.add_argument("--explain", action="store_true", help="Print the plan of each query's SQL (PostgreSQL).")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    scale = 10 if args.sqlite else 1
    args.entries = args.entries or 2_000_000 // scale
    args.tickets = args.tickets or 500_000 // scale

    setup_django(args)
    from django.db import connection

    filled = Filler(args, connection).ensure()
    results = Measure(args, connection).run()
    print_table(args, connection, filled, results)
    return 0 if all(row["worst"] < GOAL_MS for row in results if row["goal"]) else 1


def setup_django(args):
    workdir = tempfile.mkdtemp(prefix="steward-bench-hours-")
    if args.sqlite:
        url = f"sqlite:///{workdir}/bench.sqlite3"
    else:
        url = args.postgres_url
        ensure_postgres_database(url, rebuild=args.rebuild)
    use_steward_settings(workdir, url)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0, skip_checks=True)
    log(f"migrated in {time.monotonic() - started:.1f} s")


def ensure_postgres_database(url, *, rebuild):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as admin:
        if rebuild:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')


class Filler:
    """Technicians, clients with contracts, the catalogue, tickets and time entries, unless already there."""

    def __init__(self, args, connection):
        self.args = args
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.rng = random.Random(args.seed)
        self.now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)

    def ensure(self):
        from steward.work.models import TimeDay, TimeEntry

        count = TimeEntry.objects.count()
        if count >= self.args.entries:
            log(f"reusing {count:,} time entries (pass --rebuild to refill)")
            if not TimeDay.objects.exists():
                self._summarise_days()
            return {"entries": count, "seconds": None}
        if count:
            raise SystemExit("The benchmark database is partly filled; run again with --rebuild.")
        started = time.monotonic()
        self._organisation()
        self._copy("desk_ticket", self._ticket_rows())
        self._copy("work_timeentry", self._entry_rows())
        with self.connection.cursor() as cursor:
            if self.postgres:
                for table in ("desk_ticket", "work_timeentry"):
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}")
        self._summarise_days()
        with self.connection.cursor() as cursor:
            if self.postgres:
                # A fresh bulk load has no visibility map yet; VACUUM gives the steady state autovacuum reaches.
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("ANALYZE")
        seconds = time.monotonic() - started
        log(f"filled in {seconds:.0f} s")
        return {"entries": TimeEntry.objects.count(), "seconds": seconds}

    def _summarise_days(self):
        """The per-day summaries the interruptions figure reads: COPY bypasses the services that keep them."""
        from steward.work.days import rebuild_days

        started = time.monotonic()
        written = rebuild_days()
        if self.postgres:
            with self.connection.cursor() as cursor:
                cursor.execute("ANALYZE work_timeday")
        log(f"summarised {written:,} technician-days in {time.monotonic() - started:.0f} s")

    def _organisation(self):
        from django.contrib.auth.hashers import make_password

        from steward.accounts.choices import Role
        from steward.accounts.models import User
        from steward.clients.models import Client, Contract
        from steward.demo.corpus.catalogue import CATEGORIES, SOFTWARE
        from steward.demo.corpus.clients import FIRST_NAMES, LAST_NAMES
        from steward.desk.models import Category, Software

        rng = self.rng
        password = make_password(None)
        User.objects.create(username="bench-admin", role=Role.ADMIN, password=password)
        techs = User.objects.bulk_create(
            [User(username=f"tech{i:03d}", first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
                  role=Role.TECHNICIAN, password=password) for i in range(self.args.technicians)]
        )
        self.tech_ids = [tech.pk for tech in techs]
        clients = Client.objects.bulk_create(
            [Client(name=f"Client {i:05d} Ltd", short_code=f"C{i:05d}") for i in range(self.args.clients)],
            batch_size=1000,
        )
        self.client_ids = [client.pk for client in clients]
        # Long tail: a few big clients bring most tickets.
        self.client_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(clients))]
        rng.shuffle(self.client_weights)
        today = self.now.date()
        contracts = []
        for client in clients:
            if rng.random() < 0.1:
                continue  # no contract: "no rate"
            contracts.append(Contract(client=client, name="Support", starts_on=date(today.year - 3, 1, 1),
                                      ends_on=date(today.year - 1, 12, 31), hourly_rate=rng.choice((60, 70, 80))))
            contracts.append(Contract(client=client, name="Managed service", starts_on=date(today.year, 1, 1),
                                      hourly_rate=rng.choice((75, 85, 95, 110))))
        Contract.objects.bulk_create(contracts, batch_size=1000)
        self.category_ids = []
        for parent_name, children in CATEGORIES:
            parent = Category.objects.create(name=parent_name)
            self.category_ids += [Category.objects.create(name=child, parent=parent).pk for child in children]
        self.software_ids = [Software.objects.create(name=name, vendor=vendor).pk for name, vendor in SOFTWARE]
        log(f"{len(techs)} technicians, {len(clients):,} clients, {len(contracts):,} contracts, "
            f"{len(self.category_ids)} categories, {len(self.software_ids)} software")

    def _ticket_rows(self):
        rng = self.rng
        span = timedelta(days=2 * 365 + 30)
        clients = rng.choices(self.client_ids, weights=self.client_weights, k=self.args.tickets)
        self.ticket_clients = clients
        for i, client in enumerate(clients):
            created = self.now - span * rng.random()
            yield {
                "id": i + 1,
                "number": 1001 + i,
                "client_id": client,
                "subject": "Request",
                "description": "",
                "status": "closed",
                "category_id": rng.choice(self.category_ids),
                "software_id": rng.choice(self.software_ids) if rng.random() < 0.6 else None,
                "created_at": created,
                "updated_at": created,
            }

    def _entry_rows(self):
        """Each technician's working days, entries back to back in start order, mixing kinds of work."""
        rng = self.rng
        days = [self.now.date() - timedelta(days=n) for n in range(2 * 365)]
        workdays = [day for day in days if day.isoweekday() <= 5]
        per_day = -(-self.args.entries // (len(workdays) * len(self.tech_ids)))  # rounded up; stops at N
        minutes = max(1, 8 * 60 // per_day)
        kinds = [kind for kind, _ in WORK_MIX]
        weights = [weight for _, weight in WORK_MIX]
        n_tickets = len(self.ticket_clients)
        pk = 0
        for day in workdays:
            for tech in self.tech_ids:
                clock = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
                project_client = rng.choice(self.client_ids)
                for kind in rng.choices(kinds, weights=weights, k=per_day):
                    pk += 1
                    if pk > self.args.entries:
                        return
                    ticket = client = None
                    if kind in ("reactive", "proactive"):
                        ticket = rng.randrange(n_tickets)
                        client = self.ticket_clients[ticket]
                        ticket += 1
                    elif kind == "project":
                        client = project_client
                    length = rng.randint(max(1, minutes // 2), minutes * 3 // 2)
                    yield {
                        "id": pk,
                        "technician_id": tech,
                        "ticket_id": ticket,
                        "client_id": client,
                        "started_at": clock,
                        "duration_minutes": length,
                        "work_type": kind,
                        "billable": kind != "admin",
                        "status": "approved",
                        "created_at": clock,
                    }
                    clock += timedelta(minutes=length)

    def _copy(self, table, rows):
        """Load dicts into ``table``; columns not given take the model field's default (so new columns load)."""
        from django.apps import apps

        model = next(m for m in apps.get_models() if m._meta.db_table == table)
        fields = model._meta.concrete_fields
        columns = [field.column for field in fields]
        defaults = {}
        for field in fields:
            if field.has_default() or field.null:
                defaults[field.column] = field.get_default()
            elif getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
                defaults[field.column] = self.now
            else:
                defaults[field.column] = ""  # required text columns the generator leaves empty

        def tuples():
            for row in rows:
                yield tuple(row[column] if column in row else defaults[column] for column in columns)

        started = time.monotonic()
        self.connection.ensure_connection()
        if self.postgres:
            with self.connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            ) as copy:
                for row in tuples():
                    copy.write_row(row)
        else:
            from django.db import transaction

            placeholders = ", ".join(["%s"] * len(columns))

            def sqlite_rows():
                for row in tuples():
                    # SQLite keeps datetimes as UTC text, the way Django writes them.
                    yield tuple(v.strftime("%Y-%m-%d %H:%M:%S") if isinstance(v, datetime) else v for v in row)

            with transaction.atomic(), self.connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",
                                   sqlite_rows())
        log(f"loaded {model.objects.count():,} rows into {table} in {time.monotonic() - started:.0f} s")


class Measure:
    """Median and worst of each report query the dashboard runs, for the last 12 months."""

    def __init__(self, args, connection):
        self.args = args
        self.connection = connection

    def queries(self):
        from steward.accounts.models import User
        from steward.reports import queries

        admin = User.objects.get(username="bench-admin")
        end = datetime.now(UTC).date()
        year = {"start": end - timedelta(days=364), "end": end}
        return [
            ("hours by work type × week", lambda: queries.hours_report(admin, **year, group_by=["week", "work_type"])),
            ("hours by work type × month", lambda: queries.hours_report(admin, **year, group_by=["month", "work_type"])),
            ("hours by client", lambda: queries.hours_report(admin, **year, group_by=["client"])),
            ("hours by technician", lambda: queries.hours_report(admin, **year, group_by=["technician"])),
            ("hours by category", lambda: queries.hours_report(admin, **year, group_by=["category"])),
            ("hours by software", lambda: queries.hours_report(admin, **year, group_by=["software"])),
            ("reactive cost by client", lambda: queries.reactive_cost_by_client(admin, **year)),
            ("top reactive categories", lambda: queries.top_reactive_categories(admin, **year, limit=10)),
            ("top reactive software", lambda: queries.top_reactive_software(admin, **year, limit=10)),
            ("reactive share trend", lambda: queries.reactive_share_trend(admin, **year, by="week")),
            ("interruptions", lambda: queries.interruptions(admin, **year)),
        ]

    def run(self):
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from steward.accounts.models import User

        results = []
        for label, run in self.queries():
            run()  # warm the cache
            if self.args.explain and self.connection.vendor == "postgresql":
                self._explain(run, label)
            results.append(self._time(label, run, goal=True))
        browser = Client()
        browser.force_login(User.objects.get(username="bench-admin"))

        def page():
            response = browser.get("/reports/hours/", {"period": "12m"})
            assert response.status_code == 200, response.status_code

        page()
        with CaptureQueriesContext(self.connection) as captured:
            page()
        results.append(self._time(f"dashboard page, 12 months ({len(captured)} SQL)", page, goal=False))
        return results

    def _time(self, label, run, *, goal):
        timings = []
        for _ in range(self.args.runs):
            started = time.perf_counter()
            run()
            timings.append((time.perf_counter() - started) * 1000)
        row = {"query": label, "median": statistics.median(timings), "worst": max(timings), "goal": goal}
        log(f"{label:<42} median {row['median']:8.1f} ms  worst {row['worst']:8.1f} ms")
        return row

    def _explain(self, run, label):
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(self.connection) as captured:
            run()
        slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
        with self.connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
            plan = "\n".join("    " + row[0] for row in cursor.fetchall())
        log(f"--- {label}: {slowest['sql'][:200]}…\n{plan}")


def print_table(args, connection, filled, results):
    from django.db import connection as db

    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    if connection.vendor == "postgresql":
        with db.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            workers = cursor.fetchone()[0]
        setting = f", max_parallel_workers_per_gather={workers}"
    else:
        setting = ""
    print()
    print(f"{vendor}: {filled['entries']:,} time entries over 2 years, {args.tickets:,} tickets, "
          f"{args.clients:,} clients, {args.technicians} technicians; period 12 months; {args.runs} runs each; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs{setting}"
          + (f"; filled in {filled['seconds']:.0f} s" if filled["seconds"] else ""))
    print(f"{'query':<44} {'median ms':>10} {'worst ms':>10}  goal (< {GOAL_MS} ms)")
    for row in results:
        verdict = ("met" if row["worst"] < GOAL_MS else "MISSED") if row["goal"] else "-"
        print(f"{row['query']:<44} {row['median']:>10.1f} {row['worst']:>10.1f}  {verdict}")
    print()


if __name__ == "__main__":
    sys.exit(main())
