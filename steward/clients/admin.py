from django.contrib import admin

from steward.clients.models import BusinessHours, BusinessHoursSlot, Client, Contact, Contract, Holiday, Site


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0


class ContractInline(admin.TabularInline):
    model = Contract
    extra = 0


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "short_code", "industry", "phone", "is_active")
    list_filter = ("is_active", "industry")
    search_fields = ("name", "short_code")
    inlines = [SiteInline, ContractInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("full_name", "client", "email", "phone", "title", "is_vip", "portal_access")
    list_filter = ("is_vip", "portal_access", "client")
    search_fields = ("first_name", "last_name", "email", "phone")
    raw_id_fields = ("user",)


class SlotInline(admin.TabularInline):
    model = BusinessHoursSlot
    extra = 0


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0


@admin.register(BusinessHours)
class BusinessHoursAdmin(admin.ModelAdmin):
    list_display = ("client", "timezone")
    inlines = [SlotInline, HolidayInline]


admin.site.register(Site)
admin.site.register(Contract)
