"""The Markdown preview of an edit form: the page's Markdown as the public site will show it. Saves nothing."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils.html import escape, linebreaks
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from inquiry.core.markdown import render_markdown
from inquiry.core.plain_text import markdown_marks, plain_text_fields

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

    def _text_sources(self):
        """[(label, form field name, is Markdown)] of the page's own texts, in the order the page shows them."""
        markdown = set(markdown_fields(self.model))
        plain = set(plain_text_fields(self.model))
        sources = []
        for field in self.model._meta.concrete_fields:
            if getattr(field, "translated_field", None) is not None:
                continue  # a language column: its base field stands for both
            names = [build_localized_fieldname(field.name, code) for code, _name in settings.LANGUAGES]
            if field.name not in markdown and not plain.intersection(names):
                continue
            label = capfirst(str(field.verbose_name))
            for (code, _name), name in zip(settings.LANGUAGES, names, strict=True):
                sources.append((f"{label} ({_language_name(code)})", name, field.name in markdown))
        return sources

    def _markdown_sources(self, request, obj=None):
        """[(label, form field name)] of every Markdown field on this page, inlines included."""
        sources = [(label, name) for label, name, is_markdown in self._text_sources() if is_markdown]
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
            response["Cache-Control"] = "private, no-store"
            return response
        # The page shows its plain texts too (title, short answer …), as the public page prints them:
        # escaped, line breaks kept, Markdown marks left as typed (and named, since saving refuses them).
        shown = {item["name"]: item for item in previews}
        ordered = []
        for label, name, is_markdown in self._text_sources():
            if is_markdown:
                if name in shown:
                    ordered.append(shown.pop(name))
            elif name in request.POST:
                text = request.POST.get(name, "").replace("\r\n", "\n")
                ordered.append(
                    {
                        "label": label,
                        "name": name,
                        "html": linebreaks(escape(text)),
                        "empty": not text.strip(),
                        "marks": markdown_marks(text),
                    }
                )
        previews = ordered + list(shown.values())  # then the inline rows' Markdown
        response = admin_page(
            self,
            request,
            "editorial/admin/markdown_preview.html",
            title=_("Preview: %s") % capfirst(self.model._meta.verbose_name),
            previews=[item for item in previews if not item["empty"]],
        )
        response["Cache-Control"] = "private, no-store"
        return response
