from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from .models import Account, AccountState, Procedure, ProcedureStep, StateTransition


class ProcedureStepInline(TranslationStackedInline):
    model = ProcedureStep
    extra = 0
    fields = ["order", "title", "where", "bring", "outcome"]


@admin.register(Procedure)
class ProcedureAdmin(TranslationAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "slug", "summary"]
    filter_horizontal = ["citations"]
    inlines = [ProcedureStepInline]
    readonly_fields = ["updated_at", "updated_by"]


class AccountStateInline(TranslationStackedInline):
    model = AccountState
    extra = 0
    fields = ["order", "slug", "name", "is_initial", "what_you_see", "what_you_can_do"]


@admin.register(Account)
class AccountAdmin(TranslationAdmin):
    list_display = ["name", "kind", "updated_at"]
    inlines = [AccountStateInline]
    readonly_fields = ["updated_at", "updated_by"]


class StateTransitionInline(TranslationTabularInline):
    model = StateTransition
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target", "procedure"]


@admin.register(AccountState)
class AccountStateAdmin(TranslationAdmin):
    list_display = ["name", "account", "is_initial", "order", "updated_at"]
    list_filter = ["account"]
    list_select_related = ["account"]
    search_fields = ["name", "slug"]
    inlines = [StateTransitionInline]
    readonly_fields = ["updated_at", "updated_by"]
