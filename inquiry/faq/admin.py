from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .models import Article, Topic


@admin.register(Topic)
class TopicAdmin(TranslationAdmin):
    list_display = ["title", "slug", "order"]
    search_fields = ["title", "slug"]


@admin.register(Article)
class ArticleAdmin(TranslationAdmin):
    list_display = ["title", "topic", "status", "published_at", "last_reviewed_on", "updated_at"]
    list_filter = ["status", "topic"]
    list_select_related = ["topic"]
    search_fields = ["title", "short_answer", "body", "slug"]
    filter_horizontal = ["citations", "procedures", "states", "related"]
    readonly_fields = ["updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "topic", "short_answer", "body"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "last_reviewed_on", "reviewed_by", "order"]}),
        (_("Legal basis and related content"), {"fields": ["citations", "procedures", "states", "related"]}),
        (_("Changes"), {"fields": ["updated_at", "updated_by"]}),
    ]
