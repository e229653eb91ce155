from django.contrib import admin

from steward.work.models import TimeEntry


@admin.register(TimeEntry)
class TimeEntryAdmin(admin.ModelAdmin):
    list_display = ("started_at", "technician", "client", "ticket", "duration_minutes", "work_type", "billable")
    list_filter = ("work_type", "billable")
    raw_id_fields = ("technician", "ticket", "client")
    date_hierarchy = "started_at"
