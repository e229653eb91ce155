from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from steward.accounts.models import ApiToken, Team, User


@admin.register(User)
class StewardUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "email", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = UserAdmin.fieldsets + (("Steward", {"fields": ("role",)}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("Steward", {"fields": ("role", "email")}),)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name",)
    filter_horizontal = ("members",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "scope", "created_at", "last_used_at", "revoked_at")
    list_filter = ("scope",)
    readonly_fields = ("prefix", "token_hash", "created_at", "last_used_at")
    search_fields = ("prefix", "user__username", "name")

    def has_add_permission(self, request):
        # Tokens are created with `steward token create`, which shows the secret once.
        return False
