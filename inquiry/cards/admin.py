from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from inquiry.editorial.admin import ChildAdminMixin, EditorialAdmin, EditorialInlineMixin

from .models import Account, AccountState, Procedure, ProcedureStep, StateTransition


class ProcedureStepInline(EditorialInlineMixin, TranslationStackedInline):
    model = ProcedureStep
    extra = 0
    fields = ["order", "title", "where", "bring", "outcome", "sources"]
    filter_horizontal = ["sources"]


@admin.register(Procedure)
class ProcedureAdmin(EditorialAdmin, TranslationAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "slug", "summary"]
    filter_horizontal = ["citations"]
    inlines = [ProcedureStepInline]
    readonly_fields = ["version", "updated_at", "updated_by"]


@admin.register(ProcedureStep)
class ProcedureStepAdmin(ChildAdminMixin, EditorialAdmin, TranslationAdmin):
    """Steps are edited on their procedure's page; this gives each its history and revert."""

    list_display = ["title", "procedure", "order"]
    list_select_related = ["procedure"]
    filter_horizontal = ["sources"]
    readonly_fields = ["version", "updated_at", "updated_by"]


class AccountStateInline(EditorialInlineMixin, TranslationStackedInline):
    model = AccountState
    extra = 0
    fields = ["order", "slug", "name", "is_initial", "what_you_see", "what_you_can_do", "sources"]
    filter_horizontal = ["sources"]


@admin.register(Account)
class AccountAdmin(EditorialAdmin, TranslationAdmin):
    list_display = ["name", "kind", "updated_at"]
    inlines = [AccountStateInline]
    readonly_fields = ["version", "updated_at", "updated_by"]


class StateTransitionInline(EditorialInlineMixin, TranslationTabularInline):
    model = StateTransition
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target", "procedure"]


@admin.register(AccountState)
class AccountStateAdmin(EditorialAdmin, TranslationAdmin):
    list_display = ["name", "account", "is_initial", "order", "updated_at"]
    list_filter = ["account"]
    list_select_related = ["account"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["sources"]
    inlines = [StateTransitionInline]
    readonly_fields = ["version", "updated_at", "updated_by"]


@admin.register(StateTransition)
class StateTransitionAdmin(ChildAdminMixin, EditorialAdmin, TranslationAdmin):
    """State changes are edited on their state's page; this gives each its history and revert."""

    list_display = ["__str__", "label", "procedure"]
    list_select_related = ["source", "target", "procedure"]
    autocomplete_fields = ["source", "target", "procedure"]
    readonly_fields = ["version", "updated_at", "updated_by"]
