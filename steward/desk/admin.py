from django.contrib import admin

from steward.desk.models import Attachment, Category, PriorityRule, Queue, Software, Tag, Ticket, TicketEntry


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    # Tickets are changed through the desk so every change lands on the timeline; the admin only reads.
    list_display = ("number", "subject", "client", "status", "priority", "assignee", "updated_at")
    list_filter = ("status", "priority", "source", "type")
    search_fields = ("=number", "subject")
    list_select_related = ("client", "assignee")
    raw_id_fields = ("client", "site", "requester", "cc", "assignee", "parent", "merged_into", "created_by")
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TicketEntry)
class TicketEntryAdmin(admin.ModelAdmin):
    list_display = ("ticket", "kind", "is_public", "author", "created_at")
    list_filter = ("kind", "is_public")
    raw_id_fields = ("ticket", "author", "author_contact")
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PriorityRule)
class PriorityRuleAdmin(admin.ModelAdmin):
    list_display = ("impact", "urgency", "priority")
    list_editable = ("priority",)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "parent")
    search_fields = ("name",)


admin.site.register(Queue)
admin.site.register(Software)
admin.site.register(Tag)
admin.site.register(Attachment)
