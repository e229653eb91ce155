"""Inbound-mail benchmark: store N generated messages in the raw store, then process them end to end.

    .venv/bin/python bench/mail.py [--messages 10000] [--database sqlite|postgres|both]
                                   [--tickets 0|100000|1000000] [--clients 100] [--profile FILE] [--keep]

Each backend runs in its own process with a database of its own (a SQLite file in a temporary
folder, or the PostgreSQL database ``steward_bench``), built by bench/desk.py's Filler: clients
with mail domains, ~20 contacts per client (2,000 for the default 100 clients), technicians in
teams, queues, and --tickets existing tickets loaded in bulk (COPY on PostgreSQL). On top come a
support mailbox and 200 open tickets opened through the desk service, which replies find by
``[#number]`` in their subject.

Then --messages raw messages are generated (5–20 KB, text with an HTML alternative for some, a
few small attachments): new requests from known contacts, from new people at clients' domains
and from unknown domains; a third replies to earlier messages (In-Reply-To/References) or to
existing tickets by ``[#number]``; a sprinkling of out-of-office replies, byte-identical
redeliveries and re-sent Message-IDs. They go through ``steward.mail.ingest.store_raw`` (timed),
then they are processed with ``steward.mail.processing.process_batch`` — the function the
worker's task calls — --batch messages per transaction, in this process or in --workers forked
processes at once. A message's latency is its batch's time from claim to commit.

The task queue is suppressed (huey's enqueue only counts), so the figures are processing, not the
queue. Acknowledgements stay ON: the outbox row of each acknowledgement (and of the technician
notifications of customer replies) is written in the processing transaction as in production;
only the SMTP send, a separate worker job, is not run.
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from base64 import encodebytes
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import desk  # noqa: E402
from desk import (  # noqa: E402
    DEFAULT_POSTGRES_URL,
    Filler,
    log,
    bench_django,
    run_in_children,
)

TARGET_PER_SECOND = 500
# A database of its own, so a desk benchmark running at the same time does not drop it (and
# another name in STEWARD_BENCH_MAIL_DATABASE for two mail benchmarks on one server).
desk.BENCH_DATABASE = os.environ.get("STEWARD_BENCH_MAIL_DATABASE", "steward_bench_mail")
SEED_TICKETS = 200
MAILBOX = "support@provider.example"
WORDS = (
    "printer laptop outlook password reset vpn connection dropping mailbox full licence renewal backup failed "
    "monitor flickering scanner wifi slow teams meeting invitation sharepoint folder access denied new starter "
    "leaver account disable phone extension voicemail invoice query server reboot update firewall rule excel "
    "crash macro signature calendar permission onedrive sync error keyboard dock usb headset camera"
).split()
TOPICS = (
    "Printer on the second floor not printing", "Cannot log in to Outlook", "VPN keeps disconnecting",
    "New starter on Monday", "Password reset please", "Shared mailbox access", "Laptop very slow",
    "Backup failed last night", "Teams camera not working", "Access to the Finance folder",
    "Scanner sends nothing to email", "Wi-Fi in the meeting room", "Excel crashes when opening a file",
    "Licence for Adobe Acrobat", "Leaver: disable account", "Phone extension not ringing",
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--tickets", type=int, default=0, help="Existing tickets loaded in bulk first (default 0).")
    parser.add_argument("--clients", type=int, default=100, help="Clients; ~20 contacts each (default 100).")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--postgres-url", default=os.environ.get("STEWARD_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    parser.add_argument("--postgres-options", default="", help=argparse.SUPPRESS)
    parser.add_argument("--conn-max-age", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=100, help="Messages a worker claims per transaction (default 100).")
    parser.add_argument("--workers", type=int, default=1, help="Worker processes (forked) processing at once (default 1).")
    parser.add_argument("--profile", help="Write a cProfile of the processing phase to FILE.<backend>.prof.")
    parser.add_argument("--sql-report", action="store_true", help="Print the statements that took the most time.")
    parser.add_argument("--keep", action="store_true", help="Keep the benchmark database afterwards.")
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return run_child(args)

    code, results = run_in_children(args, __file__, f"{args.messages:,} messages, {args.tickets:,} existing tickets")
    if code:
        return code
    print_table(results)
    return 0


def print_table(results):
    print()
    print(f"{'backend':<9} {'tickets':>9} {'phase':<8} {'msg/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
          f"{'max ms':>7} {'load':>5}")
    for r in results:
        for phase in ("store", "process", "total"):
            f = r[phase]
            flag = f"  < {TARGET_PER_SECOND}/s" if phase == "process" and f["rate"] < TARGET_PER_SECOND else ""
            lat = (f"{f['p50']:>7.2f} {f['p95']:>7.2f} {f['p99']:>7.2f} {f['max']:>7.1f}" if "p50" in f
                   else f"{'':>7} {'':>7} {'':>7} {'':>7}")
            print(f"{r['backend']:<9} {r['tickets_prefilled']:>9,} {phase:<8} {f['rate']:>7.0f} {lat} "
                  f"{f['load']:>5.2f}{flag}")
        o = r["outcomes"]
        print(f"{r['backend']:<9} {r['messages']:,} messages ({r['stored_new']:,} stored, {r['stored_dup']:,} "
              f"byte-identical redeliveries refused by the store): {o['new']:,} new tickets, {o['reply']:,} replies "
              f"threaded, {o['noted']:,} auto-replies noted, {o['ignored']:,} ignored {o['ignored_why']}, "
              f"{o['failed']:,} failed; tickets {r['tickets_before']:,} -> {r['tickets_after']:,}; "
              f"{r['outbox']:,} outbox rows written (sending not run; tasks suppressed: {r['queued_tasks']}); "
              f"{r['sql_per_message']:.1f} SQL/message; "
              + (f"{r['cpu_ms_per_message']:.1f} ms CPU/message in the worker; " if r.get("cpu_ms_per_message") else "")
              + (f"{r['server_cpu_ms_per_message']:.1f} ms CPU/message in PostgreSQL; "
                 if r.get("server_cpu_ms_per_message") else "")
              + f"{r.get('workers', 1)} worker(s), batches of {r.get('batch', 1)}; "
              f"load average at start {r['load_start']:.2f} on {os.cpu_count()} CPUs")
    print()


# --- the child ----------------------------------------------------------------------------------


class MailFiller(Filler):
    def _load_tickets(self):
        if self.args.tickets:
            return super()._load_tickets()
        from steward.desk.models import TicketNumber

        TicketNumber.objects.update_or_create(pk=1, defaults={"last_number": 1000})
        return None


def run_child(args):
    mail_env = {"STEWARD_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    with bench_django(args, prefix="steward-bench-mail-", env=mail_env) as connection:
        filler = MailFiller(args, connection)
        filler.fill()
        result = MailBench(args, filler, connection).run()
        Path(args.result).write_text(json.dumps(result))
    return 0


def postgres_cpu_seconds() -> float | None:
    """CPU seconds used so far by the PostgreSQL server's processes, when it runs on this machine (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, found = 0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, _, rest = text.partition(") ")
        if name.endswith("(postgres"):
            fields = rest.split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
            found = True
    return total / ticks if found else None


def percentiles(timings_ms):
    timings = sorted(timings_ms)
    pick = lambda q: timings[min(len(timings) - 1, max(0, round(q * len(timings)) - 1))]  # noqa: E731
    return {"p50": statistics.median(timings), "p95": pick(0.95), "p99": pick(0.99), "max": timings[-1]}


class MailBench:
    def __init__(self, args, filler, connection):
        self.args = args
        self.filler = filler
        self.connection = connection
        self.rng = random.Random(args.seed + 7)
        self.now = datetime.now(UTC)

    # --- setting up -----------------------------------------------------------------------------

    def setup(self):
        from steward.clients.models import Client, Contact
        from steward.desk import services as desk
        from steward.desk.choices import Source
        from steward.desk.models import Queue
        from steward.mail.choices import MailboxKind
        from steward.mail.models import Mailbox

        queue = Queue.objects.filter(is_default=True).first() or Queue.objects.first()
        self.mailbox = Mailbox.objects.create(name="Support", address=MAILBOX, kind=MailboxKind.IMAP,
                                              imap_host="imap.provider.example", default_queue=queue)
        self.clients = list(Client.objects.exclude(email_domains=[]).values_list("pk", "email_domains"))
        self.domain_of_client = {pk: domains[0] for pk, domains in self.clients}
        contacts = list(Contact.objects.filter(client_id__in=self.domain_of_client)
                        .values_list("pk", "client_id", "first_name", "last_name", "email"))
        self.contacts = contacts
        self.contacts_by_client = {}
        for row in contacts:
            self.contacts_by_client.setdefault(row[1], []).append(row)
        # Open conversations that replies find by [#number] in the subject.
        by_pk = {c.pk: c for c in Contact.objects.filter(pk__in=[c[0] for c in self.rng.sample(contacts, SEED_TICKETS)])
                 .select_related("client", "site")}
        self.seed_tickets = []
        for contact in by_pk.values():
            ticket = desk.open_ticket(None, client=contact.client, requester=contact, source=Source.EMAIL,
                                      subject=self.rng.choice(TOPICS), description=self._text(600))
            self.seed_tickets.append((ticket.number, ticket.subject, contact.client_id,
                                      (contact.pk, contact.client_id, contact.first_name, contact.last_name,
                                       contact.email)))
        # A worker is long-lived: its URL resolver (every app's views imported) is built once, not per message.
        from django.urls import reverse

        reverse("desk:ticket_detail", args=[1])
        log(f"{self.args.child}: mailbox, {len(contacts):,} contacts, {len(self.clients)} clients with domains, "
            f"{SEED_TICKETS} open tickets through open_ticket")

    # --- generating mail ------------------------------------------------------------------------

    def _text(self, size):
        rng = self.rng
        lines, total = [], 0
        while total < size:
            line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize() + "."
            lines.append(line)
            total += len(line) + 1
            if rng.random() < 0.2:
                lines.append("")
        return "\n".join(lines)

    def _html(self, text):
        paragraphs = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>\n" for p in text.split("\n\n"))
        return (f'<html><head><style>p {{ font-family: Calibri; }}</style></head><body>'
                f'<div class="WordSection1">{paragraphs}</div></body></html>')

    def _person(self, sender_counts):
        """A known contact who has sent fewer than 15 messages (stays under the per-sender rate limit)."""
        while True:
            row = self.rng.choice(self.contacts)
            if sender_counts[row[4]] < 15:
                return row

    def _message(self, *, sender, subject, body, message_id, in_reply_to=None, references=(), cc=(),
                 html=False, attachment=None, headers=(), date=None):
        name, address = sender
        lines = [
            f"Received: from mx{self.rng.randint(1, 9)}.mail.example (mx.mail.example [203.0.113.{self.rng.randint(1, 254)}])"
            f"\r\n\tby imap.provider.example with ESMTPS id {self.rng.getrandbits(64):x}; {format_datetime(date)}",
            f"From: {name} <{address}>",
            f"To: Support <{MAILBOX}>",
        ]
        if cc:
            lines.append("Cc: " + ", ".join(f"<{a}>" for a in cc))
        lines += [f"Subject: {subject}", f"Date: {format_datetime(date)}", f"Message-ID: <{message_id}>",
                  "MIME-Version: 1.0"]
        if in_reply_to:
            lines.append(f"In-Reply-To: <{in_reply_to}>")
        if references:
            lines.append("References: " + " ".join(f"<{r}>" for r in references))
        lines += list(headers)
        text_part = ['Content-Type: text/plain; charset="utf-8"', "Content-Transfer-Encoding: 8bit", "", body]
        if html:
            alt = ["Content-Type: multipart/alternative; boundary=\"alt\"", "", "--alt", *text_part, "--alt",
                   'Content-Type: text/html; charset="utf-8"', "Content-Transfer-Encoding: 8bit", "",
                   self._html(body), "--alt--"]
        else:
            alt = text_part
        if attachment:
            filename, content_type, content = attachment
            lines += ['Content-Type: multipart/mixed; boundary="mix"', "", "--mix", *alt, "--mix",
                      f'Content-Type: {content_type}; name="{filename}"', "Content-Transfer-Encoding: base64",
                      f'Content-Disposition: attachment; filename="{filename}"', "",
                      encodebytes(content).decode().rstrip("\n"), "--mix--"]
        else:
            lines += alt
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")

    def generate(self):
        """The raw messages in arrival order, with the kind each was generated as."""
        rng = self.rng
        n = self.args.messages
        sent = []  # (message_id, subject, sender row, references) of earlier messages people may answer
        sender_counts = Counter()
        messages = []
        when = self.now - timedelta(hours=8)
        for i in range(n):
            when += timedelta(seconds=rng.uniform(0.5, 5))
            message_id = f"{rng.getrandbits(80):x}.{i}@mail.example"
            roll = rng.random()
            size = rng.randint(5000, 20000)
            html = rng.random() < 0.4
            attachment = None
            if rng.random() < 0.06:
                attachment = (rng.choice(("screenshot.png", "error.txt", "invoice.pdf")),
                              rng.choice(("image/png", "text/plain", "application/pdf")),
                              rng.randbytes(rng.randint(1500, 4500)))
            kind = "new"
            if roll < 0.018 and messages:  # byte-identical redelivery (IMAP re-fetch)
                messages.append(("redelivery", rng.choice(messages[-200:])[1]))
                continue
            if roll < 0.03 and sent:  # same Message-ID again with other bytes (a second mailbox, a resend)
                raw = rng.choice(messages[-200:])[1].replace(b"Received: from mx", b"Received: from relay", 1)
                messages.append(("resend", raw))
                continue
            if roll < 0.05 and sent:  # out-of-office answer to an earlier acknowledgement
                mid, subject, row, refs = rng.choice(sent[-500:])
                sender = (f"{row[2]} {row[3]}", row[4])
                raw = self._message(sender=sender, subject=f"Automatic reply: {subject}", date=when,
                                    body="I am out of the office until Monday with limited access to email.\n",
                                    message_id=message_id, in_reply_to=mid, references=(*refs, mid),
                                    headers=("Auto-Submitted: auto-replied", "X-Auto-Response-Suppress: All"))
                messages.append(("auto-reply", raw))
                continue
            if roll < 0.25 and sent:  # reply by headers
                mid, subject, row, refs = rng.choice(sent[-2000:])
                colleague = rng.random() < 0.08 and row[1] in self.contacts_by_client
                if colleague:
                    others = self.contacts_by_client[row[1]]
                    row = rng.choice(others)
                body = self._text(size // 6) + "\n\n> " + self._text(size // 3).replace("\n", "\n> ")
                subject = subject if subject.startswith("Re: ") else f"Re: {subject}"
                sender = (f"{row[2]} {row[3]}", row[4])
                sender_counts[row[4]] += 1
                raw = self._message(sender=sender, subject=subject, body=body, message_id=message_id, date=when,
                                    in_reply_to=mid, references=(*refs[-5:], mid), html=html, attachment=attachment)
                sent.append((message_id, subject, row, (*refs[-5:], mid)))
                messages.append(("reply-headers", raw))
                continue
            if roll < 0.34:  # reply by [#number] in the subject only (headers lost by the mail program)
                number, subject, _client, row = rng.choice(self.seed_tickets)
                sender = (f"{row[2]} {row[3]}", row[4])
                sender_counts[row[4]] += 1
                raw = self._message(sender=sender, subject=f"RE: {subject} [#{number}]", date=when,
                                    body=self._text(size // 2), message_id=message_id, html=html, attachment=attachment)
                messages.append(("reply-subject", raw))
                continue
            if roll < 0.39:  # an unknown domain: triage
                domain = f"{rng.choice(WORDS)}-{rng.randint(1, 999)}.example.net"
                row = (None, None, rng.choice(("Sam", "Alex", "Jo")), rng.choice(("Lee", "Kay")),
                       f"user{i}@{domain}")
                kind = "new-unknown-domain"
            elif roll < 0.45:  # someone new at a client's domain
                client_id = rng.choice(self.clients)[0]
                domain = self.domain_of_client[client_id]
                row = (None, client_id, "New", f"Person{i}", f"new.person{i}@{domain}")
                kind = "new-new-contact"
            else:
                row = self._person(sender_counts)
            sender_counts[row[4]] += 1
            subject = rng.choice(TOPICS) + (f" ({rng.choice(WORDS)})" if rng.random() < 0.5 else "")
            cc = ()
            if row[1] is not None and rng.random() < 0.1:
                cc = (rng.choice(self.contacts_by_client.get(row[1]) or [row])[4],)
            raw = self._message(sender=(f"{row[2]} {row[3]}", row[4]), subject=subject, body=self._text(size // 2 if html else size),
                                message_id=message_id, html=html, attachment=attachment, cc=cc, date=when)
            sent.append((message_id, subject, row, ()))
            messages.append((kind, raw))
        return messages

    # --- measuring ------------------------------------------------------------------------------

    def run_workers(self):
        """Process with --workers forked processes, each taking batches until none is left."""
        from django.db import connections

        from steward.mail import processing

        connections.close_all()  # each child opens its own connection
        children = []
        for _ in range(self.args.workers):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                times, statements = [], [0]

                def count(execute, sql_text, params, many, context, statements=statements):
                    statements[0] += 1
                    return execute(sql_text, params, many, context)

                from django.db import connection

                with connection.execute_wrapper(count):
                    while True:
                        t = time.perf_counter()
                        done = processing.process_batch(limit=self.args.batch)
                        if not done:
                            break
                        times += [(time.perf_counter() - t) * 1000] * len(done)
                with os.fdopen(write, "w") as out:
                    json.dump([times, statements[0]], out)
                os._exit(0)
            os.close(write)
            children.append((pid, read))
        times, statements = [], 0
        for pid, read in children:
            with os.fdopen(read) as handle:
                child_times, child_statements = json.load(handle)
            os.waitpid(pid, 0)
            times += child_times
            statements += child_statements
        return times, statements

    def run(self):
        from django.db import reset_queries
        from django.db.models import Count
        from huey.contrib.djhuey import HUEY

        from steward.desk.models import Ticket
        from steward.mail import ingest, processing
        from steward.mail.models import InboundMessage, OutboundMessage

        queued = Counter()
        HUEY.enqueue = lambda task: queued.update([task.name])  # the queue is not what is measured

        self.setup()
        started = time.monotonic()
        messages = self.generate()
        sizes = [len(raw) for _, raw in messages]
        log(f"{self.args.child}: generated {len(messages):,} messages in {time.monotonic() - started:.1f} s "
            f"({Counter(k for k, _ in messages).most_common()}); sizes {min(sizes):,}–{max(sizes):,} bytes, "
            f"mean {statistics.mean(sizes):,.0f}")

        tickets_before = Ticket.objects.count()
        load_start = os.getloadavg()[0]

        store_times, ids, dup = [], [], 0
        started = time.perf_counter()
        for _, raw in messages:
            t = time.perf_counter()
            message, created = ingest.store_raw(raw, source="imap", mailbox=self.mailbox)
            store_times.append((time.perf_counter() - t) * 1000)
            if created:
                ids.append(message.pk)
            else:
                dup += 1
        store_seconds = time.perf_counter() - started
        store_load = os.getloadavg()[0]
        log(f"{self.args.child}: stored {len(ids):,} ({dup} refused as redeliveries) in {store_seconds:.1f} s "
            f"= {len(messages) / store_seconds:.0f}/s; load {store_load:.2f}")

        profiler = None
        if self.args.profile:
            import cProfile

            profiler = cProfile.Profile()
        self.connection.force_debug_cursor = self.args.sql_report
        reset_queries()
        statements = [0]

        def count(execute, sql_text, params, many, context):
            statements[0] += 1
            return execute(sql_text, params, many, context)
        sql_time, sql_count = Counter(), Counter()
        process_times = []
        started, cpu_started = time.perf_counter(), time.process_time()
        server_cpu_started = postgres_cpu_seconds() if self.args.child == "postgres" else None
        if profiler:
            profiler.enable()
        if self.args.workers > 1:
            process_times, statements[0] = self.run_workers()
        else:
            while True:
                t = time.perf_counter()
                with self.connection.execute_wrapper(count):
                    done = processing.process_batch(limit=self.args.batch)
                if not done:
                    break
                # A message's latency is its batch's: nothing of it is visible before the commit.
                process_times += [(time.perf_counter() - t) * 1000] * len(done)
                if self.args.sql_report:
                    for query in self.connection.queries_log:
                        key = re.sub(r"'[^']*'|\b\d+\b", "?", query["sql"])[:160]
                        sql_time[key] += float(query["time"])
                        sql_count[key] += 1
                self.connection.queries_log.clear()
        if profiler:
            profiler.disable()
            profiler.dump_stats(f"{self.args.profile}.{self.args.child}.prof")
        process_seconds = time.perf_counter() - started
        # Backends that ended during the run (the workers') are not counted: --workers 1 is exact.
        server_cpu = postgres_cpu_seconds() if server_cpu_started is not None else None
        server_cpu_ms = ((server_cpu - server_cpu_started) * 1000 / max(1, len(ids))
                         if server_cpu is not None and self.args.workers == 1 else None)
        # This process's CPU (Python, parsing, the driver); with --workers the children's is not in it.
        cpu_ms = (time.process_time() - cpu_started) * 1000 / max(1, len(ids)) if self.args.workers == 1 else None
        sql = statements[0]
        for key, _ in sql_count.most_common(60):
            seconds = sql_time[key]
            log(f"  {seconds * 1000 / len(ids):6.3f} ms/msg {sql_count[key] / len(ids):5.2f}/msg  {key[:200]}")
        self.connection.force_debug_cursor = False
        process_load = os.getloadavg()[0]
        log(f"{self.args.child}: processed {len(ids):,} in {process_seconds:.1f} s = "
            f"{len(ids) / process_seconds:.0f}/s; {sql / len(ids):.1f} SQL per message; load {process_load:.2f}")

        outcomes = {"new": 0, "reply": 0, "noted": 0, "ignored": 0, "failed": 0}
        why = Counter()
        for status, outcome, count in (InboundMessage.objects.values_list("status", "outcome")
                                       .annotate(n=Count("id")).values_list("status", "outcome", "n")):
            if status == "ignored":
                outcomes["ignored"] += count
                why[outcome.split(" ")[0] if not outcome.startswith("duplicate") else "duplicate"] += count
            elif status == "failed" or status != "processed":
                outcomes["failed"] += count
            elif outcome.startswith("new ticket"):
                outcomes["new"] += count
            elif outcome.startswith("added to"):
                outcomes["reply"] += count
            else:
                outcomes["noted"] += count
        outcomes["ignored_why"] = dict(why)
        failed = list(InboundMessage.objects.filter(status="failed").values_list("error", flat=True)[:1])
        if failed:
            log(f"{self.args.child}: FAILED messages, the first error:\n{failed[0]}")
        total_seconds = store_seconds + process_seconds
        return {
            "backend": self.args.child,
            "messages": len(messages),
            "stored_new": len(ids),
            "stored_dup": dup,
            "tickets_prefilled": self.args.tickets,
            "tickets_before": tickets_before,
            "tickets_after": Ticket.objects.count(),
            "outbox": OutboundMessage.objects.count(),
            "queued_tasks": dict(queued),
            "sql_per_message": sql / max(1, len(ids)),
            "cpu_ms_per_message": cpu_ms,
            "server_cpu_ms_per_message": server_cpu_ms,
            "workers": self.args.workers,
            "batch": self.args.batch,
            "store": {"rate": len(messages) / store_seconds, **percentiles(store_times), "load": store_load},
            "process": {"rate": len(ids) / process_seconds, **percentiles(process_times), "load": process_load},
            "total": {"rate": len(messages) / total_seconds, "load": process_load},
            "outcomes": outcomes,
            "load_start": load_start,
        }


if __name__ == "__main__":
    sys.exit(main())
