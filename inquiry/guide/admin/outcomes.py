"""Outcomes and their procedures in the editorial admin."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from inquiry.editorial.admin import ChildAdminMixin, EditorialAdmin, EditorialInlineMixin

from ..models import Outcome, OutcomeProcedure
from ..services import flow_ensure_sound
from .forms import OutcomeAdminForm
from .live import flow_is_published, new_row_is_live


class OutcomeProcedureInline(EditorialInlineMixin, admin.TabularInline):
    model = OutcomeProcedure
    extra = 1
    fields = ["order", "procedure"]


@admin.register(OutcomeProcedure)
class OutcomeProcedureAdmin(ChildAdminMixin, EditorialAdmin):
    """An outcome's procedures are edited on its page; this gives each row its history and revert."""

    list_display = ["procedure", "outcome", "order"]
    list_select_related = ["procedure", "outcome"]
    readonly_fields = ["outcome", "version", "updated_at", "updated_by"]
    fields = ["outcome", "order", "procedure", "version", "updated_at", "updated_by"]

    def is_live(self, obj, request=None):
        return obj is None or flow_is_published(obj.outcome.flow_id)


@admin.register(Outcome)
class OutcomeAdmin(EditorialAdmin, TranslationAdmin):
    form = OutcomeAdminForm
    list_display = ["heading", "slug", "flow", "account_state", "updated_at"]
    list_filter = ["flow"]
    list_select_related = ["flow", "account_state"]
    search_fields = ["heading", "slug", "what_happened"]
    # Django's own widgets, not the autocomplete (select2) ones, whose comboboxes have no accessible
    # name and whose search boxes have no label; the lists are short.
    filter_horizontal = ["citations", "sources", "faq_articles"]
    inlines = [OutcomeProcedureInline]
    readonly_fields = ["version", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["flow", "slug", "heading", "what_happened"]}),
        (_("What it is about"), {"fields": ["account_state", "citations", "sources", "faq_articles"]}),
        (_("Changes"), {"fields": ["version", "updated_at", "updated_by"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "flow"] if obj is not None else readonly

    def is_live(self, obj, request=None):
        return flow_is_published(obj.flow_id) if obj is not None else new_row_is_live(request)

    def validate_revert(self, obj):
        flow_ensure_sound(obj.flow_id)
