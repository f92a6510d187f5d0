"""Inline rows of content: each carries its version (no lost edits) and links to its own history."""

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..forms import VersionCheckedInlineFormSet, slug_form, slug_source, versioned_form, versioned_formset
from .base import has_version, with_seen_version
from .preview import mark_markdown_widget


class EditorialInlineMixin:
    """For an inline of content rows: each row carries its version; a link to each row's history."""

    formset = VersionCheckedInlineFormSet

    def __init__(self, parent_model, admin_site):
        super().__init__(parent_model, admin_site)
        if has_version(self.model):
            self.form = versioned_form(self.form)
            # An inline with a formset of its own (with checks of its own) gets the version check too.
            self.formset = versioned_formset(self.formset)
        source = slug_source(self.model)
        if source is not None:
            self.form = slug_form(self.form, source)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return with_seen_version(fieldsets) if has_version(self.model) else fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.admin_site.is_registered(self.model) and "history_link" not in readonly:
            readonly.append("history_link")
        return readonly

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if self.admin_site.is_registered(self.model) and "history_link" not in fields:
            fields.append("history_link")
        return fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return mark_markdown_widget(self.model, db_field, formfield)

    @admin.display(description=gettext_lazy("history"))
    def history_link(self, obj):
        if obj is None or obj.pk is None:
            return ""
        opts = self.model._meta
        try:
            url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history", args=[quote(obj.pk)])
        except NoReverseMatch:
            return ""
        return format_html('<a href="{}">{}</a>', url, _("History (version {})").format(obj.version))


class ChildAdminMixin:
    """For a model normally edited inline: its own pages (history, revert) stay, but not in the admin index."""

    def get_model_perms(self, request):
        return {}
