"""The guide's admin forms. Each `clean()` that can change a published guide ends in one call of
`services.flow_ensure_sound` with the change it would make."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inquiry.editorial.forms import VersionCheckedInlineFormSet

from ..models import Choice, Flow, Outcome, Question
from ..services import answer_replaced, first_question_set, flow_ensure_sound, outcome_added, question_replaced


class FlowAdminForm(forms.ModelForm):
    class Meta:
        model = Flow
        # The admin's fieldsets decide the fields; these are the defaults outside it.
        fields = ["title", "slug", "summary", "intro", "first_question", "status", "published_at", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "first_question" in self.fields:
            owned = Question.objects.filter(flow=self.instance) if self.instance.pk else Question.objects.none()
            self.fields["first_question"].queryset = owned
            self.fields["first_question"].help_text = _("Add questions first; then choose where the guide starts.")

    def clean(self):
        cleaned = super().clean()
        # For an Editor the status is shown, not edited (PublishingAdminMixin): an edit of a published
        # guide is checked all the same.
        status = cleaned.get("status") if "status" in self.fields else self.instance.status
        if status != Flow.Status.PUBLISHED:
            return cleaned
        if "published_at" in self.fields and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()
        first = cleaned.get("first_question") if "first_question" in self.fields else self.instance.first_question
        flow_ensure_sound(self.instance, first_question_set(first), status=Flow.Status.PUBLISHED)
        return cleaned


class ChoiceFormSet(VersionCheckedInlineFormSet):
    """Choices are checked together with their question: a published flow must stay sound.

    The rows' version check (VersionCheckedInlineFormSet, and each row's form) runs first; the graph
    is checked only when every row is valid and current.
    """

    def add_fields(self, form, index):
        # Offer only the questions and outcomes of the question's own guide, whichever request built the
        # formset (the question's page, or a proposal's page applying a change to it).
        super().add_fields(form, index)
        flow_id = self.instance.flow_id
        if flow_id is None:
            return
        if "next_question" in form.fields:
            form.fields["next_question"].queryset = Question.objects.filter(flow_id=flow_id)
        if "outcome" in form.fields:
            form.fields["outcome"].queryset = Outcome.objects.filter(flow_id=flow_id)

    def clean(self):
        super().clean()
        question = self.instance
        if not question.flow_id or any(self.errors):
            return
        answers = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("slug"):
                continue
            answers.append((data["slug"], data.get("next_question"), data.get("outcome")))
        flow_ensure_sound(question.flow_id, question_replaced(question, answers))


class ChoiceAdminForm(forms.ModelForm):
    """One answer on its own page (for its history and revert): checked with its question's other answers."""

    class Meta:
        model = Choice
        fields = ["order", "slug", "label", "hint", "next_question", "outcome"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        flow_id = self.instance.question.flow_id if self.instance.question_id else None
        # Offer only the questions and outcomes of the answer's own guide.
        if "next_question" in self.fields and flow_id is not None:
            self.fields["next_question"].queryset = Question.objects.filter(flow_id=flow_id)
        if "outcome" in self.fields and flow_id is not None:
            self.fields["outcome"].queryset = Outcome.objects.filter(flow_id=flow_id)

    def clean(self):
        cleaned = super().clean()
        if self.errors or not self.instance.question_id:
            return cleaned
        change = answer_replaced(
            self.instance, cleaned.get("slug"), cleaned.get("next_question"), cleaned.get("outcome")
        )
        flow_ensure_sound(self.instance.question.flow_id, change)
        return cleaned


class OutcomeAdminForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["flow", "slug", "heading", "what_happened", "account_state", "citations", "sources", "faq_articles"]

    def clean(self):
        cleaned = super().clean()
        flow, slug = cleaned.get("flow"), cleaned.get("slug")
        if self.instance.pk is None and flow is not None and slug:
            flow_ensure_sound(flow.pk, outcome_added(slug))
        return cleaned
