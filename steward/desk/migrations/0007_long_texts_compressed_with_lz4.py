from django.db import migrations

from steward.core.compression import compress_with_lz4


class Migration(migrations.Migration):
    dependencies = [("desk", "0006_ticket_indexes_lead_by_foreign_keys")]

    operations = [
        compress_with_lz4("desk_ticket", "description"),
        compress_with_lz4("desk_ticketentry", "body", "quoted_text"),
    ]
