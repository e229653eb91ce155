from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("work", "0003_timesheet_return_reason"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="timeentry",
            index=models.Index(
                fields=["started_at", "work_type", "technician", "client", "ticket", "duration_minutes", "billable"],
                name="time_report_period",
            ),
        ),
        migrations.AddIndex(
            model_name="timeentry",
            index=models.Index(
                fields=["technician", "started_at", "work_type", "duration_minutes"], name="time_report_technician"
            ),
        ),
    ]
