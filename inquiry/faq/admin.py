from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from inquiry.editorial.admin import EditorialAdmin, PublishingAdminMixin

from .models import Article, Topic


@admin.register(Topic)
class TopicAdmin(EditorialAdmin, TranslationAdmin):
    list_display = ["title", "slug", "order"]
    search_fields = ["title", "slug"]
    readonly_fields = ["version", "updated_at", "updated_by"]


@admin.register(Article)
class ArticleAdmin(PublishingAdminMixin, EditorialAdmin, TranslationAdmin):
    list_display = ["title", "topic", "status", "published_at", "last_reviewed_on", "review_due", "updated_at"]
    list_filter = ["status", "topic"]
    list_select_related = ["topic"]
    search_fields = ["title", "short_answer", "body", "also_asked", "slug"]
    filter_horizontal = ["citations", "sources", "procedures", "states", "related"]
    readonly_fields = ["version", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "topic", "short_answer", "body"]}),
        (_("Search"), {"fields": ["also_asked"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "last_reviewed_on", "reviewed_by", "order"]}),
        (_("Legal basis and related content"), {"fields": ["citations", "sources", "procedures", "states", "related"]}),
        (_("Changes"), {"fields": ["version", "updated_at", "updated_by"]}),
    ]
