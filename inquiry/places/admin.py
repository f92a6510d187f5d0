from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from inquiry.editorial.admin import EditorialAdmin, ReviewDueFilter, admin_page

from .models import LocalValue, Region
from .selectors import coverage


class CheckedDueFilter(ReviewDueFilter):
    """Values not checked at their source for SOCSEC_REVIEW_AFTER_MONTHS months."""

    title = _("check")
    field_name = "checked_on"


@admin.register(Region)
class RegionAdmin(EditorialAdmin, TranslationAdmin):
    list_display = ["name", "slug", "code", "kind", "parent", "order"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "code"]
    readonly_fields = ["version", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "code", "kind", "parent", "order"]}),
        (_("Changes"), {"fields": ["version", "updated_at", "updated_by"]}),
    ]


@admin.register(LocalValue)
class LocalValueAdmin(EditorialAdmin, TranslationAdmin):
    list_display = ["region", "key", "strength", "checked_on", "updated_at"]
    list_filter = ["key", "region", "source__strength", CheckedDueFilter]
    list_select_related = ["region", "source"]
    search_fields = ["text", "editor_note", "region__name", "source__title", "source__url"]
    autocomplete_fields = ["source", "other_sources"]
    readonly_fields = ["version", "updated_at", "updated_by"]
    change_list_template = "places/admin/localvalue_change_list.html"
    fieldsets = [
        (None, {"fields": ["region", "key", "text"]}),
        (_("Where it comes from"), {"fields": ["source", "checked_on", "other_sources", "editor_note"]}),
        (_("Changes"), {"fields": ["version", "updated_at", "updated_by"]}),
    ]

    @admin.display(description=_("strength"), ordering="source__strength")
    def strength(self, obj):
        return f"[{obj.source.strength}]"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.coverage_view)
        return [path("coverage/", view, name=f"{info[0]}_{info[1]}_coverage"), *super().get_urls()]

    def coverage_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return admin_page(self, request, "places/admin/coverage.html", title=_("Local values: coverage"), **coverage())
