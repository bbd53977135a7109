from django.contrib import admin
from django.http import HttpRequest

from membersuccess.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "scope", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The secret is shown once at creation, which the admin form cannot do: use `msm token create`.
        return False
