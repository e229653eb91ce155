from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("desk", "0003_saved_views_canned_replies")]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(condition=models.Q(parent__isnull=False), fields=["parent"], name="ticket_parent_set"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(merged_into__isnull=False), fields=["merged_into"], name="ticket_merged_set"
            ),
        ),
    ]
