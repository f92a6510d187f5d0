from urllib.parse import urlsplit

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from inquiry.editorial.admin import EditorialAdmin, admin_page
from inquiry.editorial.readonly import ReadOnlyAdminMixin

from .models import Document, Recommendation, SynonymGroup, UnansweredSearch
from .reports import unmet_needs_report
from .text import phrase_term


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["words", "page", "order"]

    def clean_page(self):
        path = urlsplit(self.cleaned_data["page"].strip()).path
        if not Document.objects.filter(url=path).exists():
            raise forms.ValidationError(
                _("No published page has this address. Copy the address of a question or law article page.")
            )
        return path


@admin.register(Recommendation)
class RecommendationAdmin(EditorialAdmin):
    form = RecommendationForm
    list_display = ["words", "page", "order", "updated_at"]
    search_fields = ["words", "page"]
    readonly_fields = ["updated_at", "updated_by"]


class SynonymGroupForm(forms.ModelForm):
    class Meta:
        model = SynonymGroup
        fields = ["terms", "language", "note"]

    def clean_terms(self):
        words = [word.strip() for word in SynonymGroup(terms=self.cleaned_data["terms"]).words()]
        unusable = [word for word in words if phrase_term(word) is None]
        if unusable:
            raise forms.ValidationError(
                _("These have no letters or characters to search for: %(words)s"), params={"words": ", ".join(unusable)}
            )
        if len({phrase_term(word).tokens for word in words}) < 2:
            raise forms.ValidationError(_("Give at least two different words, separated by commas."))
        return ", ".join(words)


@admin.register(SynonymGroup)
class SynonymGroupAdmin(EditorialAdmin):
    """Saving bumps the content generation like any content: cached search pages are retired and the
    next search reads the table afresh."""

    form = SynonymGroupForm
    list_display = ["terms", "language", "note", "updated_at"]
    list_filter = ["language"]
    search_fields = ["terms", "note"]
    readonly_fields = ["version", "updated_at", "updated_by"]


@admin.register(UnansweredSearch)
class UnansweredSearchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The list of this model is the report: what visitors looked for and did not find, per day and
    per week, with the answers they marked "not helpful". Rows are written by searches only."""

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return admin_page(
            self,
            request,
            "search/admin/unmet_needs.html",
            title=_("What visitors did not find"),
            **unmet_needs_report(),
        )

    def get_urls(self):
        # Only the report: there is nothing to open, change or delete row by row.
        from django.urls import path

        view = self.admin_site.admin_view(self.changelist_view)
        info = self.opts.app_label, self.opts.model_name
        return [path("", view, name=f"{info[0]}_{info[1]}_changelist")]
