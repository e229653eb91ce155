"""Long email texts are stored compressed with LZ4 on PostgreSQL (faster to write than the default pglz)."""

from django.db import connection

from steward.core.testing import require_postgres
from steward.desk.services import open_ticket
from steward.desk.models import Ticket


def test_ticket_and_email_texts_use_lz4_and_read_back_whole(db, client_a):
    require_postgres()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text || '.' || attname, attcompression FROM pg_attribute "
            "WHERE (attrelid, attname) IN (('desk_ticket'::regclass, 'description'), ('desk_ticketentry'::regclass, 'body'), "
            "('desk_ticketentry'::regclass, 'quoted_text'), ('mail_outboundmessage'::regclass, 'body'))"
        )
        assert dict(cursor.fetchall()) == {
            "desk_ticket.description": "l", "desk_ticketentry.body": "l",
            "desk_ticketentry.quoted_text": "l", "mail_outboundmessage.body": "l",
        }
    text = "The backup job failed again last night with error 0x80070005. " * 400  # 25 KB: compressed when stored
    ticket = open_ticket(None, client=client_a, subject="Backup failed", description=text)

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_column_compression(description) FROM desk_ticket WHERE id = %s", [ticket.pk])
        assert cursor.fetchone() == ("lz4",)
    assert Ticket.objects.get(pk=ticket.pk).description == text
