"""Service-desk benchmark: fill a fresh database with N tickets, then time the API's hot reads.

    .venv/bin/python bench/desk.py [--tickets 1000000] [--clients 1000] [--database sqlite|postgres|both]
                                   [--postgres-url postgres://steward:steward@127.0.0.1:5432/steward]
                                   [--requests 200] [--explain] [--keep]

Each backend runs in its own process with a database of its own: a SQLite file in a
temporary folder, or a PostgreSQL database ``steward_bench`` created (and dropped again)
through the server at --postgres-url. The schema comes from the migrations; tickets are
loaded with COPY (PostgreSQL) or executemany (SQLite) with the ticket table's secondary
indexes and foreign keys set aside and rebuilt afterwards, then the database is analysed.
Requests go through django.test.Client in-process with a real API token, so the figures
are Django + django-ninja + database, without a network or a web server in front.
"""

import argparse
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://steward:steward@127.0.0.1:5432/steward"
BENCH_DATABASE = "steward_bench"
# Common words (in 0.5–8% of subjects) stop a newest-first scan early; rare ones (0.02%) do not.
SEARCH_WORDS = ("printer", "outlook", "password", "vpn", "laptop", "wi-fi", "backup", "scanner", "monitor", "licence")
RARE_WORDS = ("kyocera", "hikvision", "sonos", "dymo", "plantronics")
RARE_SHARE = 0.001  # of subjects carry one of the rare words
OPEN_MIX = (
    ("new", 0.2), ("open", 0.4), ("in_progress", 0.2), ("waiting_on_customer", 0.12), ("waiting_on_third_party", 0.08)
)
QUERIES = (
    ("list", "ticket list, first page"),
    ("client", "?client=ID"),
    ("status_assignee", "?status=open&assignee=ID"),
    ("search", "?q=WORD (common)"),
    ("search_rare", "?q=WORD (rare)"),
    ("detail", "GET /tickets/{number}"),
)
TARGET_MS = 100


def log(message):
    print(message, file=sys.stderr, flush=True)


# --- the parent: one child process per backend, then the table ------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--postgres-url", default=os.environ.get("STEWARD_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per query (default: 200).")
    parser.add_argument("--warmup", type=int, default=20, help="Untimed requests per query first (default: 20).")
    parser.add_argument(
        "--postgres-options",
        default="",
        help="libpq options for the benchmark's connections, e.g. '-c join_collapse_limit=1' to try a setting.",
    )
    parser.add_argument("--conn-max-age", type=int, default=600, help="STEWARD_DB_CONN_MAX_AGE for the run.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--explain", action="store_true", help="Print the query plan of each list query's main SQL.")
    parser.add_argument("--keep", action="store_true", help="Keep the benchmark database afterwards.")
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return run_child(args)

    code, results = run_in_children(args, __file__, f"{args.tickets:,} tickets, {args.clients:,} clients")
    if code:
        return code
    print_table(results)
    return 0


def run_in_children(args, script, banner):
    """Run ``script`` once per backend, each in a fresh process; returns (exit code, results)."""
    backends = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    results = []
    for backend in backends:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            result_file = handle.name
        command = [sys.executable, script, "--child", backend, "--result", result_file] + sys.argv[1:]
        log(f"=== {backend}: {banner}")
        try:
            completed = subprocess.run(command, cwd=ROOT)
            if completed.returncode != 0:
                log(f"{backend}: the benchmark failed (exit {completed.returncode}).")
                return completed.returncode, results
            results.append(json.loads(Path(result_file).read_text()))
        finally:
            os.unlink(result_file)
    return 0, results


def print_table(results):
    print()
    print(f"{'backend':<10} {'tickets':>10} {'query':<28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'SQL':>4}")
    for result in results:
        for key, label in QUERIES:
            figures = result["queries"][key]
            flag = "" if key == "detail" or figures["p95"] < TARGET_MS else f"  > {TARGET_MS} ms"
            print(
                f"{result['backend']:<10} {result['tickets']:>10,} {label:<28} {figures['p50']:>8.1f} "
                f"{figures['p95']:>8.1f} {figures['max']:>8.1f} {figures['sql']:>4}{flag}"
            )
        fill = result["fill"]
        print(
            f"{result['backend']:<10} fill {fill['total']:.0f} s (generate+load {fill['load']:.0f} s, indexes and "
            f"keys {fill['indexes']:.0f} s, analyse {fill['analyse']:.0f} s); {result['requests']} requests per query; "
            f"load average {result['load']:.1f} on {os.cpu_count()} CPUs"
            + (f"; options {result['options']!r}" if result["options"] else "")
        )
    print()


# --- the child: build, fill, measure --------------------------------------------------------------


def database_url(args, workdir):
    if args.child == "sqlite":
        return f"sqlite:///{workdir}/bench.sqlite3"
    parts = urlsplit(args.postgres_url)
    query = urlencode({"options": args.postgres_options}) if args.postgres_options else parts.query
    return urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}", query=query))


def recreate_postgres_database(args, drop_only=False):
    import psycopg

    with psycopg.connect(args.postgres_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        if not drop_only:
            admin.execute(f"CREATE DATABASE {BENCH_DATABASE}")


def drop_postgres_database(args):
    """Drop the benchmark database, waiting for an autovacuum worker (not ours to terminate) to finish."""
    import psycopg

    for _ in range(60):
        try:
            return recreate_postgres_database(args, drop_only=True)
        except psycopg.errors.InsufficientPrivilege:
            time.sleep(2)
    log(f"could not drop the database {BENCH_DATABASE} on {args.postgres_url}: drop it by hand")
    return None


def use_steward_settings(workdir, database_url, **extra):
    """Point this process's Steward settings at a benchmark's own data folder and database."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "steward.settings",
            "STEWARD_DATA_DIR": workdir,
            "STEWARD_SECRET_KEY": "bench-" + "x" * 50,
            "STEWARD_DEBUG": "0",
            "STEWARD_ALLOWED_HOSTS": "testserver",
            "STEWARD_LOG_LEVEL": "WARNING",
            "STEWARD_DATABASE_URL": database_url,
            **extra,
        }
    )


@contextlib.contextmanager
def bench_django(args, *, prefix="steward-bench-", env=None):
    """A fresh, migrated Steward database for one backend in this child process; yields its connection."""
    workdir = tempfile.mkdtemp(prefix=prefix)
    use_steward_settings(
        workdir, database_url(args, workdir), STEWARD_DB_CONN_MAX_AGE=str(args.conn_max_age), **(env or {})
    )
    connection = None
    try:
        if args.child == "postgres":
            recreate_postgres_database(args)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        started = time.monotonic()
        call_command("migrate", verbosity=0)
        log(f"{args.child}: migrated in {time.monotonic() - started:.1f} s")
        yield connection
    finally:
        if connection is not None:
            connection.close()
        if args.child == "postgres" and not args.keep:
            drop_postgres_database(args)
        if args.keep:
            log(f"{args.child}: kept the database ({os.environ['STEWARD_DATABASE_URL']}) and {workdir}")
        else:
            for path in sorted(Path(workdir).rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
            Path(workdir).rmdir()


def run_child(args):
    with bench_django(args) as connection:
        filler = Filler(args, connection)
        fill = filler.fill()
        figures = Measure(args, filler).run()
        result = {
            "backend": args.child,
            "tickets": args.tickets,
            "fill": fill,
            "queries": figures,
            "requests": args.requests,
            "load": os.getloadavg()[0],
            "options": args.postgres_options if args.child == "postgres" else "",
        }
        Path(args.result).write_text(json.dumps(result))
    return 0


class Filler:
    """Clients with sites and contacts, technicians in teams, queues, categories, and N tickets."""

    def __init__(self, args, connection):
        self.args = args
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.rng = random.Random(args.seed)
        self.now = datetime.now(UTC).replace(microsecond=0)

    def fill(self):
        started = time.monotonic()
        self._organisation()
        load_started = time.monotonic()
        dropped = self._set_aside_ticket_indexes()
        self._load_tickets()
        loaded = time.monotonic()
        self._restore_ticket_indexes(dropped)
        indexed = time.monotonic()
        self._analyse()
        done = time.monotonic()
        log(f"{self.args.child}: filled in {done - started:.0f} s")
        return {
            "total": done - started,
            "load": loaded - load_started,
            "indexes": indexed - loaded,
            "analyse": done - indexed,
        }

    def _organisation(self):
        from django.contrib.auth.hashers import make_password

        from steward.accounts.choices import Role
        from steward.accounts.models import Team, User
        from steward.accounts.services import create_api_token
        from steward.clients.models import Client, Contact, Site
        from steward.demo.corpus.catalogue import CATEGORIES, TAGS
        from steward.demo.corpus.clients import FIRST_NAMES, LAST_NAMES
        from steward.desk.models import Category, Queue, Tag

        rng = self.rng
        password = make_password(None)
        admin = User.objects.create(username="bench-admin", role=Role.ADMIN, password=password)
        _, self.token = create_api_token(admin, name="benchmark")
        techs = User.objects.bulk_create(
            [User(username=f"tech{i:03d}", first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
                  role=Role.TECHNICIAN, password=password) for i in range(max(6, self.args.clients // 25))]
        )
        self.tech_ids = [t.pk for t in techs]
        teams = [Team.objects.create(name=name) for name in ("Service desk", "Projects", "Security", "Onboarding")]
        Team.members.through.objects.bulk_create(
            [Team.members.through(team_id=teams[i % len(teams)].pk, user_id=pk) for i, pk in enumerate(self.tech_ids)]
        )
        for team in teams[1:]:
            Queue.objects.get_or_create(name=team.name, defaults={"team": team})
        self.queue_ids = list(Queue.objects.values_list("pk", flat=True))
        self.category_ids = []
        for parent_name, children in CATEGORIES:
            parent, _ = Category.objects.get_or_create(name=parent_name, parent=None)
            self.category_ids += [Category.objects.get_or_create(name=child, parent=parent)[0].pk for child in children]
        self.tag_ids = [Tag.objects.get_or_create(name=name)[0].pk for name in TAGS]

        # Client sizes follow a long tail: a few big clients, many small ones.
        weights = [1 / (rank + 1) ** 0.8 for rank in range(self.args.clients)]
        rng.shuffle(weights)
        clients = Client.objects.bulk_create(
            [Client(name=f"Client {i:05d} Ltd", short_code=f"C{i:05d}", email_domains=[f"client{i}.example"])
             for i in range(self.args.clients)],
            batch_size=500,
        )
        sites = Site.objects.bulk_create(
            [Site(client=c, name=f"Site {j + 1}", city="Leeds", timezone="Europe/London")
             for c in clients for j in range(rng.randint(1, 3))],
            batch_size=500,
        )
        sites_of = {}
        for site in sites:
            sites_of.setdefault(site.client_id, []).append(site.pk)
        total_weight = sum(weights)
        contacts = []
        for client, weight in zip(clients, weights):
            for j in range(max(3, round(20 * self.args.clients * weight / total_weight))):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                contacts.append(Contact(client=client, site_id=rng.choice(sites_of[client.pk]), first_name=first,
                                        last_name=last, email=f"{first}.{last}.{j}@client{client.pk}.example".lower()))
        Contact.objects.bulk_create(contacts, batch_size=1000)
        self.contacts_of = {}
        for contact in contacts:
            self.contacts_of.setdefault(contact.client_id, []).append((contact.pk, contact.site_id))
        self.client_ids = [c.pk for c in clients]
        self.client_weights = weights
        log(f"{self.args.child}: {len(clients):,} clients, {len(sites):,} sites, {len(contacts):,} contacts, "
            f"{len(techs)} technicians")

    def _ticket_rows(self):
        """Rows of desk_ticket in ``TICKET_COLUMNS`` order, oldest first, over the last three years."""
        from steward.demo.corpus.tickets import TEMPLATES
        from steward.desk.services import DEFAULT_PRIORITY_MATRIX

        rng = self.rng
        n = self.args.tickets
        span = timedelta(days=3 * 365).total_seconds()
        start = self.now - timedelta(seconds=span)
        words = {"room": "reception", "site": "Head office", "server": "SRV01", "device": "Dell Latitude 5440",
                 "printer": "HP LaserJet", "folder": "Finance", "lob": "Sage 50", "app": "Excel",
                 "colleague": "Sam Taylor", "newname": "Alex Morgan", "date": "Monday 3 March", "n": 3,
                 "domain": "client.example", "wifi": "Staff", "sender": "DocuSign", "ref": "C123456",
                 "mailbox": "accounts@client.example", "first": "Sam", "name": "Sam Taylor"}
        templates = [(t.subject.format_map(words), t.body.format_map(words), t.type, t.iu) for t in TEMPLATES]
        clients = rng.choices(self.client_ids, weights=self.client_weights, k=n)
        sources = ("email", "email", "email", "portal", "phone", "alert", "api")
        for i in range(n):
            # Arrivals grow over time: the square root skews creation times towards the present.
            created = start + timedelta(seconds=span * (rng.random() ** 0.8))
            age_days = (self.now - created).days
            subject, body, type_, (impact, urgency) = rng.choice(templates)
            if rng.random() < RARE_SHARE:
                subject = f"{subject} ({rng.choice(RARE_WORDS).title()})"
            client = clients[i]
            contact, site = rng.choice(self.contacts_of[client])
            if age_days < 3 or (age_days < 14 and rng.random() < 0.4) or rng.random() < 0.004:
                status = rng.choices([s for s, _ in OPEN_MIX], weights=[w for _, w in OPEN_MIX])[0]
            else:
                status = "closed" if age_days > 7 or rng.random() < 0.5 else "resolved"
            assignee = None if status == "new" else rng.choice(self.tech_ids)
            first_response = None if status == "new" else created + timedelta(minutes=rng.randint(5, 600))
            resolved = closed = None
            updated = created + timedelta(minutes=rng.randint(0, 3000))
            if status in ("resolved", "closed"):
                resolved = first_response + timedelta(minutes=rng.randint(10, 5000))
                updated = resolved
                if status == "closed":
                    closed = resolved + timedelta(days=5)
                    updated = closed
            updated = min(updated, self.now)
            yield (
                i + 1, 1001 + i, client, site, contact, subject, body, status, type_, impact, urgency,
                DEFAULT_PRIORITY_MATRIX[(impact, urgency)], False, rng.choice(self.category_ids), None,
                rng.choice(sources), rng.choice(self.queue_ids), assignee, None, None, None,
                created, updated, first_response, resolved, closed, rng.randint(1, 12),
            )

    TICKET_COLUMNS = (
        "id", "number", "client_id", "site_id", "requester_id", "subject", "description", "status", "type", "impact",
        "urgency", "priority", "priority_overridden", "category_id", "software_id", "source", "queue_id",
        "assignee_id", "parent_id", "merged_into_id", "created_by_id", "created_at", "updated_at",
        "first_response_at", "resolved_at", "closed_at", "version",
    )

    def _check_columns(self):
        from steward.desk.models import Ticket

        columns = {f.column for f in Ticket._meta.concrete_fields}
        if columns != set(self.TICKET_COLUMNS):
            raise SystemExit(
                f"desk_ticket changed: the benchmark writes {sorted(set(self.TICKET_COLUMNS) ^ columns)} wrongly; "
                "update TICKET_COLUMNS and _ticket_rows in bench/desk.py."
            )

    def _set_aside_ticket_indexes(self):
        """Drop the ticket table's secondary indexes (and, on PostgreSQL, foreign keys) for a fast load."""
        with self.connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                    "WHERE x.indrelid = 'desk_ticket'::regclass AND NOT x.indisprimary "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
                )
                indexes = cursor.fetchall()
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = 'desk_ticket'::regclass AND contype = 'f'"
                )
                keys = cursor.fetchall()
                for name, _ in keys:
                    cursor.execute(f'ALTER TABLE desk_ticket DROP CONSTRAINT "{name}"')
                for name, _ in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
            else:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'desk_ticket' "
                    "AND sql IS NOT NULL"
                )
                indexes = cursor.fetchall()
                keys = []
                for name, _ in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
        return indexes, keys

    def _restore_ticket_indexes(self, dropped):
        indexes, keys = dropped
        started = time.monotonic()
        with self.connection.cursor() as cursor:
            if self.postgres:
                cursor.execute("SET maintenance_work_mem = '512MB'")
            for name, definition in indexes:
                cursor.execute(definition)
            for name, definition in keys:
                cursor.execute(f'ALTER TABLE desk_ticket ADD CONSTRAINT "{name}" {definition}')
        log(f"{self.args.child}: rebuilt {len(indexes)} indexes and {len(keys)} foreign keys in "
            f"{time.monotonic() - started:.0f} s")

    def _load_tickets(self):
        from steward.desk.models import Ticket

        self._check_columns()
        started = time.monotonic()
        rows = self._ticket_rows()
        columns = ", ".join(self.TICKET_COLUMNS)
        tag_rows = []
        conn = self.connection
        conn.ensure_connection()
        if self.postgres:
            with conn.cursor() as cursor:
                with cursor.cursor.copy(f"COPY desk_ticket ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        if row[0] % 10 == 0:
                            tag_rows.append((row[0], self.rng.choice(self.tag_ids)))
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('desk_ticket', 'id'), %s)", [self.args.tickets]
                )
                with cursor.cursor.copy("COPY desk_ticket_tags (ticket_id, tag_id) FROM STDIN") as copy:
                    for row in tag_rows:
                        copy.write_row(row)
        else:
            from django.db import transaction

            placeholders = ", ".join(["%s"] * len(self.TICKET_COLUMNS))

            def sqlite_rows():
                for row in rows:
                    if row[0] % 10 == 0:
                        tag_rows.append((row[0], self.rng.choice(self.tag_ids)))
                    # SQLite keeps datetimes as UTC text, the way Django writes them.
                    stamps = tuple(None if v is None else v.strftime("%Y-%m-%d %H:%M:%S") for v in row[21:26])
                    yield row[:21] + stamps + row[26:]

            # Rows are consistent by construction; SQLite can only stop checking keys outside a transaction.
            conn.disable_constraint_checking()
            try:
                with transaction.atomic(), conn.cursor() as cursor:
                    cursor.executemany(f"INSERT INTO desk_ticket ({columns}) VALUES ({placeholders})", sqlite_rows())
                    cursor.executemany("INSERT INTO desk_ticket_tags (ticket_id, tag_id) VALUES (%s, %s)", tag_rows)
            finally:
                conn.enable_constraint_checking()
        from steward.desk.models import TicketNumber

        TicketNumber.objects.update_or_create(pk=1, defaults={"last_number": 1000 + self.args.tickets})
        log(f"{self.args.child}: loaded {Ticket.objects.count():,} tickets in {time.monotonic() - started:.0f} s")

    def _analyse(self):
        with self.connection.cursor() as cursor:
            if self.postgres:
                # A fresh bulk load has no visibility map yet; VACUUM gives the steady state autovacuum reaches.
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("ANALYZE")


class Measure:
    """p50/p95 of each hot read through the real API stack, with varied parameters."""

    def __init__(self, args, filler):
        self.args = args
        self.filler = filler
        self.rng = random.Random(args.seed + 1)

    def _path(self, key):
        rng = self.rng
        if key == "list":
            return "/api/v1/tickets", {"limit": 50}
        if key == "client":
            return "/api/v1/tickets", {"client": rng.choice(self.filler.client_ids), "limit": 50}
        if key == "status_assignee":
            return "/api/v1/tickets", {"status": "open", "assignee": rng.choice(self.filler.tech_ids), "limit": 50}
        if key == "search":
            return "/api/v1/tickets", {"q": rng.choice(SEARCH_WORDS), "limit": 50}
        if key == "search_rare":
            return "/api/v1/tickets", {"q": rng.choice(RARE_WORDS), "limit": 50}
        return f"/api/v1/tickets/{rng.randint(1001, 1000 + self.args.tickets)}", {}

    def run(self):
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        client = Client(HTTP_AUTHORIZATION=f"Bearer {self.filler.token}")
        figures = {}
        for key, label in QUERIES:
            for _ in range(self.args.warmup):
                self._get(client, key)
            with CaptureQueriesContext(connection) as captured:
                self._get(client, key)
            sql = captured.captured_queries
            timings = []
            for _ in range(self.args.requests):
                started = time.perf_counter()
                self._get(client, key)
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            figures[key] = {
                "p50": statistics.median(timings),
                "p95": timings[max(0, round(0.95 * len(timings)) - 1)],
                "max": timings[-1],
                "sql": len(sql),
            }
            log(f"{self.args.child}: {label:<28} p50 {figures[key]['p50']:7.1f} ms  p95 {figures[key]['p95']:7.1f} ms")
            if self.args.explain:
                self._explain(connection, sql)
        return figures

    def _get(self, client, key):
        path, params = self._path(key)
        response = client.get(path, params)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} {params} answered {response.status_code}: {response.content[:300]!r}")
        return response

    def _explain(self, connection, statements):
        """The plan of the slowest statement of a request, as the database runs it."""
        slowest = max(statements, key=lambda q: float(q["time"]))
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + slowest["sql"])
            plan = "\n".join("    " + " ".join(str(col) for col in row) for row in cursor.fetchall())
        log(f"    slowest of {len(statements)} statements ({float(slowest['time']) * 1000:.1f} ms): "
            f"{slowest['sql'][:300]}…{slowest['sql'][-300:]}\n{plan}")

if __name__ == "__main__":
    sys.exit(main())
