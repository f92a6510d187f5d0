import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import COMMENT_MAX_LENGTH


def plain_text(value: str) -> str:
    """Keep letters, punctuation and line breaks; drop control characters (a comment is plain text)."""
    kept = (char for char in value if char in "\n\t" or unicodedata.category(char)[0] != "C")
    return "".join(kept).replace("\r", "").strip()


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Was this page helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        help_text=_("Please do not write your name, phone number, ID number or other personal details."),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # People never see or fill this field (it is hidden by CSS and from screen readers); simple bots do.
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)

    def clean_comment(self):
        return plain_text(self.cleaned_data["comment"])

    @property
    def is_spam(self):
        return bool(self.data.get("website"))
