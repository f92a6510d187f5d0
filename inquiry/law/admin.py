from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from inquiry.editorial.admin import ChildAdminMixin, EditorialAdmin, EditorialInlineMixin

from .models import Chapter, Law, LawArticle, Source


class ChapterInline(EditorialInlineMixin, TranslationTabularInline):
    model = Chapter
    extra = 0


@admin.register(Law)
class LawAdmin(EditorialAdmin, TranslationAdmin):
    list_display = ["__str__", "slug", "edition", "updated_at"]
    search_fields = ["title", "short_title", "slug"]
    inlines = [ChapterInline]
    readonly_fields = ["version", "updated_at", "updated_by"]


@admin.register(Chapter)
class ChapterAdmin(ChildAdminMixin, EditorialAdmin, TranslationAdmin):
    """Chapters are edited on their law's page; this gives each its history and revert."""

    list_display = ["title", "law", "number"]
    list_select_related = ["law"]
    readonly_fields = ["version", "updated_at", "updated_by"]


@admin.register(LawArticle)
class LawArticleAdmin(EditorialAdmin, TranslationAdmin):
    list_display = ["label", "law", "chapter", "has_summary", "updated_at"]
    list_filter = ["law"]
    list_select_related = ["law", "chapter"]
    search_fields = ["label", "text", "summary"]
    ordering = ["law", "number"]
    readonly_fields = ["version", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["law", "chapter", "number", "label"]}),
        (_("Text"), {"fields": ["text", "english_is_unofficial"]}),
        (_("Plain-language summary"), {"fields": ["summary"]}),
        (_("Changes"), {"fields": ["version", "updated_at", "updated_by"]}),
    ]

    @admin.display(boolean=True, description=_("summary"))
    def has_summary(self, obj):
        return bool(obj.summary)


@admin.register(Source)
class SourceAdmin(EditorialAdmin, TranslationAdmin):
    list_display = ["__str__", "slug", "kind", "strength", "seen_on", "updated_at"]
    list_filter = ["strength", "kind"]
    search_fields = ["slug", "title", "publisher", "url"]
    readonly_fields = ["version", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["slug", "title", "publisher", "url"]}),
        (_("How far it can be trusted"), {"fields": ["kind", "strength", "seen_on"]}),
        (_("Changes"), {"fields": ["version", "updated_at", "updated_by"]}),
    ]
