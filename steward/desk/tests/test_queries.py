from django.db import connection

from steward.core.testing import require_postgres
from steward.desk import queries
from steward.desk.models import Ticket


def test_subject_search_is_written_for_the_upper_subject_index(technician, ticket_a):
    sql = str(queries.ticket_list(technician, q="printer").query).upper()
    assert 'UPPER("DESK_TICKET"."SUBJECT")' in sql and "LIKE" in sql
    assert list(queries.ticket_list(technician, q="PrInTeR")) == [ticket_a]


def test_subject_search_can_use_the_trigram_index_on_postgresql(technician, ticket_a):
    require_postgres()
    with connection.cursor() as cursor:
        # A few rows make any scan cheap; leave the planner only scans driven by a matching index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
    matching = queries.filter_tickets(Ticket.objects.all(), technician, q="printer").order_by().values_list("pk")
    assert "ticket_subject_trgm" in matching.explain()
