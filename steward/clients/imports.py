"""CSV import of clients and contacts: recognise columns, preview per row, then import the valid rows.

The preview runs the real import inside a transaction that is rolled back, so it reports
exactly what the services would accept (and rows see the effect of earlier rows, e.g. a
short code used twice). Confirming runs it again and keeps it; rows with errors are left
out. Clients are recognised by short code and contacts by client + email address (or
client + name when there is no address), so importing the same file twice changes nothing.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction

from steward.clients import services
from steward.clients.models import Client, Contact, Site
from steward.core.exceptions import DomainError, require_staff

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
KINDS = ("clients", "contacts")

# Column names people use for each field, after normalising ("E-mail address" → "e_mail_address").
CLIENT_COLUMNS = {
    "name": ("name", "client", "client_name", "company", "company_name", "organisation", "organization"),
    "short_code": ("short_code", "code", "shortcode", "client_code", "short_name"),
    "email_domains": ("email_domains", "email_domain", "domains", "domain", "mail_domains"),
    "phone": ("phone", "telephone", "phone_number", "tel"),
    "website": ("website", "web", "url", "homepage"),
    "industry": ("industry", "sector"),
    "notes": ("notes", "note", "comments", "comment"),
    "is_active": ("is_active", "active"),
}
CONTACT_COLUMNS = {
    "first_name": ("first_name", "firstname", "given_name", "forename", "first"),
    "last_name": ("last_name", "lastname", "surname", "family_name", "last"),
    "full_name": ("name", "full_name", "contact", "contact_name"),
    "email": ("email", "email_address", "e_mail", "e_mail_address", "mail"),
    "phone": ("phone", "telephone", "phone_number", "work_phone", "office_phone", "direct_dial", "tel"),
    "mobile": ("mobile", "mobile_phone", "mobile_number", "cell", "cell_phone"),
    "title": ("title", "job_title", "position", "job"),
    "client": ("client", "client_short_code", "short_code", "client_code", "client_name", "company", "organisation", "organization"),
    "site": ("site", "location", "office", "site_name"),
    "is_vip": ("vip", "is_vip"),
    "notes": ("notes", "note", "comments"),
}
TRUE = {"1", "y", "yes", "true", "t", "x", "ja", "oui", "vip", "active"}
FALSE = {"", "0", "n", "no", "false", "f", "nein", "non", "inactive"}


class ImportRefused(DomainError):
    """The file as a whole cannot be read (encoding, size, no known columns)."""


@dataclass
class RowResult:
    line: int
    label: str
    action: str = ""  # create, update, unchanged or error
    changed: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ImportResult:
    kind: str
    columns: dict[str, str]  # CSV header → field
    ignored: list[str]
    rows: list[RowResult]
    committed: bool = False

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self):
        return {action: self.count(action) for action in ("create", "update", "unchanged", "error")}

    @property
    def importable(self):
        return self.count("create") + self.count("update")


def _normalise(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.replace("\ufeff", "").strip().lower()).strip("_")


def decode(data: bytes) -> str:
    """The file's text: UTF-8, with or without a byte-order mark."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"The file is {len(data) // 1024} KB; import at most {MAX_BYTES // 1024 // 1024} MB at a time.", field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            "The file is not UTF-8 text. In Excel choose “Save as → CSV UTF-8”, then upload it again.", field="file"
        ) from None


def _reader(text: str):
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _flag(value: str, column: str, errors: list) -> bool | None:
    text = value.strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    errors.append((column, f"“{value}” is not yes or no."))
    return None


class _Importer:
    def __init__(self, actor, kind):
        self.actor = actor
        self.kind = kind
        self.known = CLIENT_COLUMNS if kind == "clients" else CONTACT_COLUMNS
        self.clients = {}

    def map_columns(self, header):
        mapping, ignored, taken = {}, [], set()
        for index, name in enumerate(header):
            key = _normalise(name)
            target = next((f for f, aliases in self.known.items() if key in aliases and f not in taken), None)
            if target is None:
                ignored.append(name.replace("\ufeff", "").strip())
            else:
                mapping[index] = target
                taken.add(target)
        return mapping, ignored

    # --- clients ---

    def client_row(self, values, errors, row):
        data = {f: v.strip() for f, v in values.items() if f in services.CLIENT_FIELDS}
        row.label = data.get("name") or data.get("short_code") or ""
        if "email_domains" in data:
            data["email_domains"] = [d for d in re.split(r"[\s,;|]+", data["email_domains"].lower()) if d]
        if "is_active" in data:
            data["is_active"] = _flag(data["is_active"], "is_active", errors)
        code = (data.get("short_code") or "").upper()
        if not code:
            errors.append(("short_code", "A short code is needed to recognise the client when you import again."))
        if errors:
            return
        data["short_code"] = code
        existing = Client.objects.filter(short_code=code).first()
        if existing is None:
            services.create_client(self.actor, **data)
            row.action = "create"
            return
        changes = {f: v for f, v in data.items() if getattr(existing, f) != v}
        row.changed = sorted(changes)
        if changes:
            services.update_client(existing, self.actor, changes)
        row.action = "update" if changes else "unchanged"

    # --- contacts ---

    def _client(self, ref):
        key = ref.strip().lower()
        if key not in self.clients:
            self.clients[key] = (
                Client.objects.filter(short_code__iexact=key).first() or Client.objects.filter(name__iexact=key).first()
            )
        return self.clients[key]

    def contact_row(self, values, errors, row):
        data = {f: v.strip() for f, v in values.items()}
        full_name = data.pop("full_name", "")
        if full_name and not data.get("first_name"):
            data["first_name"], _, last = full_name.partition(" ")
            data.setdefault("last_name", last)
        row.label = f"{data.get('first_name', '')} {data.get('last_name', '')}".strip() or data.get("email", "")
        client = None
        if not data.get("client"):
            errors.append(("client", "Say which client (short code or name) the contact belongs to."))
        else:
            client = self._client(data["client"])
            if client is None:
                errors.append(("client", f"There is no client “{data['client']}”; import the clients first."))
        data.pop("client", None)
        if "is_vip" in data:
            data["is_vip"] = _flag(data["is_vip"], "is_vip", errors)
        if data.get("site") and client is not None:
            site = Site.objects.filter(client=client, name__iexact=data["site"]).first()
            if site is None:
                errors.append(("site", f"{client.name} has no site “{data['site']}”."))
            data["site"] = site
        elif "site" in data:
            data["site"] = None
        if errors:
            return
        existing = self._existing_contact(client, data)
        if existing is None:
            services.create_contact(self.actor, client=client, **data)
            row.action = "create"
            return
        changes = {f: v for f, v in data.items() if getattr(existing, f) != v}
        row.changed = sorted(changes)
        if changes:
            services.update_contact(existing, self.actor, changes)
        row.action = "update" if changes else "unchanged"

    def _existing_contact(self, client, data):
        contacts = Contact.objects.filter(client=client)
        if data.get("email"):
            return contacts.filter(email__iexact=data["email"]).first()
        return contacts.filter(
            email="", first_name__iexact=data.get("first_name", ""), last_name__iexact=data.get("last_name", "")
        ).first()


def run_import(actor, kind: str, text: str, *, commit: bool) -> ImportResult:
    """Import the CSV ``text`` (``commit=False``: only report what would happen, row by row)."""
    require_staff(actor, services.STAFF_ONLY)
    if kind not in KINDS:
        raise ImportRefused("Choose whether the file holds clients or contacts.", field="kind")
    importer = _Importer(actor, kind)
    reader = _reader(text)
    header = next(reader, None)
    if not header:
        raise ImportRefused("The file is empty.", field="file")
    mapping, ignored = importer.map_columns(header)
    needed = "name" if kind == "clients" else "client"
    if needed not in mapping.values():
        expected = ", ".join(importer.known)
        raise ImportRefused(f"No “{needed}” column found. The first row must name the columns, e.g. {expected}.", field="file")
    result = ImportResult(kind=kind, columns={header[i].replace("\ufeff", "").strip(): f for i, f in mapping.items()}, ignored=ignored, rows=[])
    with transaction.atomic():
        for cells in reader:
            if len(result.rows) >= MAX_ROWS:
                raise ImportRefused(f"The file has more than {MAX_ROWS} rows; split it.", field="file")
            if not any(cell.strip() for cell in cells):
                continue
            row = RowResult(line=reader.line_num, label="")
            values = {target: cells[index] if index < len(cells) else "" for index, target in mapping.items()}
            errors = row.errors
            try:
                with transaction.atomic():  # a savepoint: a refused row leaves nothing behind
                    (importer.client_row if kind == "clients" else importer.contact_row)(values, errors, row)
                    if errors:
                        raise _RowRefused
            except _RowRefused:
                pass
            except DomainError as exc:
                errors.append((exc.field or "", exc.message))
            if errors:
                row.action = "error"
            result.rows.append(row)
        if not commit:
            transaction.set_rollback(True)
    result.committed = commit
    return result


class _RowRefused(Exception):
    pass
