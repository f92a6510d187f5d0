from urllib.parse import urlsplit

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from inquiry.editorial.admin import EditorialAdmin

from .models import Document, Recommendation


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
