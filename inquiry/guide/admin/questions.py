"""Questions and their answers in the editorial admin.

Answers are edited on their question's page (ChoiceInline, checked together by `forms.ChoiceFormSet`);
each answer also has its own page for its history and revert.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from inquiry.editorial.admin import ChildAdminMixin, EditorialAdmin, EditorialInlineMixin

from ..models import Choice, Outcome, Question
from ..services import flow_ensure_sound
from .forms import ChoiceAdminForm, ChoiceFormSet
from .live import flow_is_published, new_row_is_live


class ChoiceInline(EditorialInlineMixin, TranslationStackedInline):
    """Stacked, one answer under another, each field with its label: a table of eleven columns (two
    languages each for the label and the hint) was 2,678 px wide and its inputs had no labels."""

    model = Choice
    formset = ChoiceFormSet
    fk_name = "question"
    extra = 2
    fields = ["order", "slug", "label", "hint", "next_question", "outcome"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only the questions and outcomes of the question's own guide.
        flow_id = self._flow_id(request)
        if flow_id is not None and db_field.name == "next_question":
            kwargs["queryset"] = Question.objects.filter(flow_id=flow_id)
        elif flow_id is not None and db_field.name == "outcome":
            kwargs["queryset"] = Outcome.objects.filter(flow_id=flow_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @staticmethod
    def _flow_id(request):
        # Only on the question's own pages; the formset narrows the lists again from its question
        # (`forms.ChoiceFormSet.add_fields`), also when a proposal's page builds it.
        match = request.resolver_match
        object_id = match.kwargs.get("object_id") if match and match.url_name == "guide_question_change" else None
        if object_id:
            return Question.objects.filter(pk=object_id).values_list("flow_id", flat=True).first()
        flow = request.GET.get("flow") or request.POST.get("flow")
        return int(flow) if flow and flow.isdigit() else None


@admin.register(Question)
class QuestionAdmin(EditorialAdmin, TranslationAdmin):
    list_display = ["prompt", "slug", "flow", "order", "updated_at"]
    list_filter = ["flow"]
    list_select_related = ["flow"]
    search_fields = ["prompt", "slug"]
    inlines = [ChoiceInline]
    readonly_fields = ["version", "updated_at", "updated_by"]
    fields = ["flow", "slug", "prompt", "hint", "why_we_ask", "order", "version", "updated_at", "updated_by"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a question to another guide would cut the links that lead to it.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "flow"] if obj is not None else readonly

    def validate_revert(self, obj):
        flow_ensure_sound(obj.flow_id)

    def is_live(self, obj, request=None):
        return flow_is_published(obj.flow_id) if obj is not None else new_row_is_live(request)


@admin.register(Choice)
class ChoiceAdmin(ChildAdminMixin, EditorialAdmin, TranslationAdmin):
    """Answers are edited on their question's page; this gives each its history and revert.

    Adding and deleting stay on the question's page, where the answers are checked together.
    """

    form = ChoiceAdminForm
    list_display = ["label", "slug", "question", "order"]
    list_select_related = ["question"]
    readonly_fields = ["question", "version", "updated_at", "updated_by"]
    fields = [
        "question",
        "order",
        "slug",
        "label",
        "hint",
        "next_question",
        "outcome",
        "version",
        "updated_at",
        "updated_by",
    ]

    def has_add_permission(self, request):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        choice = self.get_object(request, object_id)
        if choice is None or not self.has_delete_permission(request, choice):
            return super().delete_view(request, object_id, extra_context)
        self.message_user(
            request,
            gettext("Delete an answer on its question's page, where the guide's answers are checked together."),
            messages.INFO,
        )
        return HttpResponseRedirect(reverse("admin:guide_question_change", args=[quote(choice.question_id)]))

    def validate_revert(self, obj):
        flow_ensure_sound(obj.question.flow_id)

    def is_live(self, obj, request=None):
        return obj is None or flow_is_published(obj.question.flow_id)
