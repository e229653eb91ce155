from django.db import migrations

MATRIX = {(1, 1): 1, (1, 2): 2, (1, 3): 3, (2, 1): 2, (2, 2): 3, (2, 3): 4, (3, 1): 3, (3, 2): 4, (3, 3): 4}


def seed_defaults(apps, schema_editor):
    apps.get_model("desk", "TicketNumber").objects.get_or_create(pk=1, defaults={"last_number": 1000})
    PriorityRule = apps.get_model("desk", "PriorityRule")
    for (impact, urgency), priority in MATRIX.items():
        PriorityRule.objects.get_or_create(impact=impact, urgency=urgency, defaults={"priority": priority})
    Queue = apps.get_model("desk", "Queue")
    Queue.objects.get_or_create(name="Service desk", defaults={"is_default": True})
    Queue.objects.get_or_create(name="Triage")


def add_trigram_indexes(apps, schema_editor):
    # Substring search over a million subjects needs trigram indexes; SQLite scans instead.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS ticket_subject_trgm ON desk_ticket USING gin (upper(subject) gin_trgm_ops)"
    )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ticket_subject_trgm")


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_initial")]

    operations = [
        migrations.RunPython(seed_defaults, migrations.RunPython.noop),
        migrations.RunPython(add_trigram_indexes, drop_trigram_indexes),
    ]
