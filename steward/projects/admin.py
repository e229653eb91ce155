from django.contrib import admin

from steward.projects.models import (
    Forecast,
    Project,
    ProjectTemplate,
    Task,
    TemplateTask,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    # Plans change through the project pages and the API, so every change announces itself to the forecast.
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("name", "client", "owner", "status", "priority", "deadline", "completed_on")
    list_filter = ("status",)
    search_fields = ("name",)
    list_select_related = ("client", "owner")


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("name", "project", "assignee", "status", "estimate_hours", "remaining_hours", "due_on")
    list_filter = ("status",)
    search_fields = ("name", "project__name")
    list_select_related = ("project", "assignee")


class TemplateTaskInline(admin.TabularInline):
    model = TemplateTask
    fields = ("position", "phase", "name", "estimate_hours")
    extra = 0


@admin.register(ProjectTemplate)
class ProjectTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "description")
    inlines = (TemplateTaskInline,)


@admin.register(Forecast)
class ForecastAdmin(ReadOnlyAdmin):
    list_display = ("project", "computed_at", "probability_on_time", "p50_date", "p90_date")
    list_select_related = ("project",)
