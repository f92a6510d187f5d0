"""The Markdown preview of an edit form: the page's Markdown as the public site will show it. Saves nothing."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from inquiry.core.markdown import render_markdown

from ..history import markdown_fields
from .pages import admin_page

MAX_PREVIEW_ROWS = 200


def _language_name(code):
    return dict(settings.LANGUAGES).get(code, code)


def mark_markdown_widget(model, db_field, formfield):
    """Markdown textareas get `data-markdown-preview`, which the preview script looks for."""
    if formfield is None:
        return formfield
    base = getattr(db_field, "translated_field", db_field).name
    if base in markdown_fields(model):
        formfield.widget.attrs["data-markdown-preview"] = "1"
        formfield.widget.attrs.setdefault("rows", 8)
    return formfield


class MarkdownPreviewMixin:
    """For `EditorialAdmin`: the preview page, and `data-markdown-preview` on every Markdown textarea."""

    def get_urls(self):
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        own = [
            path(
                "markdown-preview/",
                self.admin_site.admin_view(self.markdown_preview_view),
                name=f"{prefix}_markdown_preview",
            ),
        ]
        return own + super().get_urls()

    def _markdown_sources(self, request, obj=None):
        """[(label, form field name)] of every Markdown field on this page, inlines included."""
        sources = []
        for base in markdown_fields(self.model):
            label = capfirst(str(self.model._meta.get_field(base).verbose_name))
            for code, _name in settings.LANGUAGES:
                sources.append((f"{label} ({_language_name(code)})", build_localized_fieldname(base, code)))
        for inline in self.get_inline_instances(request, obj):
            bases = markdown_fields(inline.model)
            if not bases:
                continue
            prefix = inline.get_formset(request, obj).get_default_prefix()
            try:
                rows = min(int(request.POST.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_PREVIEW_ROWS)
            except ValueError:
                rows = 0
            for index in range(rows):
                for base in bases:
                    label = capfirst(str(inline.model._meta.get_field(base).verbose_name))
                    for code, _name in settings.LANGUAGES:
                        name = f"{prefix}-{index}-{build_localized_fieldname(base, code)}"
                        row_label = f"{capfirst(inline.model._meta.verbose_name)} {index + 1}"
                        sources.append((f"{row_label}: {label} ({_language_name(code)})", name))
        return sources

    def _has_markdown(self, request, obj=None):
        return bool(markdown_fields(self.model)) or any(
            markdown_fields(inline.model) for inline in self.get_inline_instances(request, obj)
        )

    def markdown_preview_view(self, request):
        """The page's Markdown as the public site will show it. Saves nothing.

        The change form's Preview button posts the whole form here (works without JavaScript);
        `editorial/markdown-preview.js` asks for JSON to show a preview under each field.
        """
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(reverse(self._url_name("changelist")))
        previews = []
        for label, name in self._markdown_sources(request):
            if name in request.POST:
                text = request.POST.get(name, "")
                previews.append(
                    {"label": label, "name": name, "html": render_markdown(text), "empty": not text.strip()}
                )
        if request.headers.get("Accept", "").startswith("application/json"):
            response = JsonResponse({"previews": [{"name": p["name"], "html": p["html"]} for p in previews]})
        else:
            response = admin_page(
                self,
                request,
                "editorial/admin/markdown_preview.html",
                title=_("Preview: %s") % capfirst(self.model._meta.verbose_name),
                previews=[item for item in previews if not item["empty"]],
            )
        response["Cache-Control"] = "private, no-store"
        return response
