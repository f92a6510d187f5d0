from django.contrib import admin

from .models import SlugRedirect


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    """Written by the editorial admin when a slug changes; here so an administrator can remove a wrong one."""

    list_display = ["old_slug", "content_type", "target", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["old_slug"]
    readonly_fields = ["content_type", "object_id", "old_slug", "created_at"]

    def has_add_permission(self, request):
        return False
