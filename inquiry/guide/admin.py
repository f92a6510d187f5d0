"""The guide in the editorial admin: history, compare and revert, version-checked forms and rows,
publishing by Publishers only — and, on every path that writes, the guide's own rule: a published
guide is never left with problems (a form, the answers on a question's page, one answer's own page,
a revert, the publish action).
"""

import dataclasses

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from inquiry.editorial.admin import ChildAdminMixin, EditorialAdmin, EditorialInlineMixin, PublishingAdminMixin
from inquiry.editorial.forms import VersionCheckedInlineFormSet

from .checks import flow_problems
from .diagrams import flow_diagram
from .engine import OUTCOME, QUESTION, ChoiceNode, Node, QuestionNode, replace_question
from .models import Choice, Flow, Outcome, OutcomeProcedure, Question
from .selectors import flow_graph, graph_from_models


def refuse_if_broken(flow, graph):
    """A published flow must stay sound: raise a ValidationError listing what the change would break."""
    if flow is None or flow.status != Flow.Status.PUBLISHED:
        return
    problems = flow_problems(graph)
    if problems:
        raise ValidationError(
            [
                ValidationError(
                    gettext(
                        "This guide is published, and this change would leave it with the problems below. "
                        "Fix them, or set the guide back to draft while you rework it."
                    )
                ),
                *[ValidationError(problem.message) for problem in problems],
            ]
        )


def locked_flow(flow_id):
    """The flow as stored, its row locked until the transaction ends (where the database can lock rows).

    Every check of a flow's graph takes this lock first, and the publish action locks the flows it
    publishes: an edit of a flow's answers and the publishing of that flow cannot interleave.
    """
    queryset = Flow.objects.filter(pk=flow_id)
    if transaction.get_connection().in_atomic_block:
        queryset = queryset.select_for_update()
    return queryset.first()


def refuse_if_stored_flow_broken(flow_id):
    """For a change already written (a revert): a ValidationError if the published flow now has problems."""
    flow = locked_flow(flow_id)
    if flow is not None:
        refuse_if_broken(flow, flow_graph(flow))


def flow_is_published(flow_id):
    return Flow.objects.filter(pk=flow_id, status=Flow.Status.PUBLISHED).exists()


def new_row_is_live(request):
    """A question or outcome being added is live if the guide chosen for it is published (or none is chosen yet)."""
    flow = (request.POST.get("flow") or request.GET.get("flow")) if request is not None else None
    return not (flow and flow.isdigit()) or flow_is_published(int(flow))


def choice_node(flow, slug, next_question, outcome):
    """One answer as the engine sees it, from the values of a form (targets are model instances)."""
    return ChoiceNode(
        slug=slug,
        next_question=next_question.slug if next_question else None,
        outcome=outcome.slug if outcome else None,
        outside=any(target is not None and target.flow_id != flow.pk for target in (next_question, outcome)),
    )


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
        if self.instance.pk:
            graph = flow_graph(locked_flow(self.instance.pk))
            first_slug = first.slug if first is not None and first.flow_id == self.instance.pk else None
            graph = dataclasses.replace(graph, first_question=first_slug)
        else:
            graph = graph_from_models(self.instance, [], [], [])
        refuse_if_broken(Flow(status=Flow.Status.PUBLISHED), graph)
        return cleaned


@admin.register(Flow)
class FlowAdmin(PublishingAdminMixin, EditorialAdmin, TranslationAdmin):
    form = FlowAdminForm
    list_display = [
        "title",
        "slug",
        "status",
        "published_at",
        "last_reviewed_on",
        "review_due",
        "map_link",
        "updated_at",
    ]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    readonly_fields = ["contents", "version", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "intro"]}),
        (_("Questions and outcomes"), {"fields": ["first_question", "contents"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "last_reviewed_on", "reviewed_by", "order"]}),
        (_("Changes"), {"fields": ["version", "updated_at", "updated_by"]}),
    ]

    def check_publishable(self, obj):
        problems = flow_problems(flow_graph(obj))
        if problems:
            raise ValidationError(
                [
                    gettext("“%(title)s” was not published: it has the problems below. See its map.")
                    % {"title": obj.title},
                    *[problem.message for problem in problems],
                ]
            )

    def validate_revert(self, obj):
        refuse_if_broken(obj, flow_graph(obj))

    def get_urls(self):
        return [
            path("<path:object_id>/map/", self.admin_site.admin_view(self.map_view), name="guide_flow_map"),
            *super().get_urls(),
        ]

    @admin.display(description=_("map"))
    def map_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:guide_flow_map", args=[obj.pk]), _("Map"))

    @admin.display(description=_("questions and outcomes"))
    def contents(self, obj):
        if obj is None or obj.pk is None:
            return gettext("Save the guide first, then add its questions and outcomes.")
        questions = Question.objects.filter(flow=obj).only("id", "slug", "prompt_zh_hans", "prompt_en")
        outcomes = Outcome.objects.filter(flow=obj).only("id", "slug", "heading_zh_hans", "heading_en")
        return format_html(
            '<p><a href="{}">{}</a></p><p><strong>{}</strong></p><ul>{}</ul><p><a href="{}?flow={}">{}</a></p>'
            '<p><strong>{}</strong></p><ul>{}</ul><p><a href="{}?flow={}">{}</a></p>',
            reverse("admin:guide_flow_map", args=[obj.pk]),
            _("See the map of this guide and its problems"),
            pgettext_lazy("guide", "Questions"),
            format_html_join(
                "",
                '<li><a href="{}">{}</a> <code>{}</code></li>',
                ((reverse("admin:guide_question_change", args=[q.pk]), q.prompt, q.slug) for q in questions),
            ),
            reverse("admin:guide_question_add"),
            obj.pk,
            _("Add a question"),
            _("Outcomes"),
            format_html_join(
                "",
                '<li><a href="{}">{}</a> <code>{}</code></li>',
                ((reverse("admin:guide_outcome_change", args=[o.pk]), o.heading, o.slug) for o in outcomes),
            ),
            reverse("admin:guide_outcome_add"),
            obj.pk,
            _("Add an outcome"),
        )

    def map_view(self, request, object_id):
        flow = get_object_or_404(Flow, pk=object_id)
        if not self.has_view_permission(request, flow):
            raise PermissionDenied
        questions = list(Question.objects.filter(flow=flow).prefetch_related("choices"))
        outcomes = list(Outcome.objects.filter(flow=flow))
        choices = [choice for question in questions for choice in question.choices.all()]
        graph = graph_from_models(flow, questions, choices, outcomes)
        problems = flow_problems(graph)
        labels = {Node(QUESTION, q.slug): q.prompt for q in questions}
        labels.update({Node(OUTCOME, o.slug): o.heading for o in outcomes})
        links = {Node(QUESTION, q.slug): reverse("admin:guide_question_change", args=[q.pk]) for q in questions}
        links.update({Node(OUTCOME, o.slug): reverse("admin:guide_outcome_change", args=[o.pk]) for o in outcomes})
        choice_labels = {(q.slug, c.slug): c.label for q in questions for c in q.choices.all()}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Map of “%(title)s”") % {"title": flow.title},
            "flow": flow,
            "problems": problems,
            "diagram": flow_diagram(graph, problems, labels, choice_labels, links),
            "questions": [(q, links[Node(QUESTION, q.slug)]) for q in questions],
            "outcomes": [(o, links[Node(OUTCOME, o.slug)]) for o in outcomes],
            "change_url": reverse("admin:guide_flow_change", args=[flow.pk]),
        }
        return TemplateResponse(request, "admin/guide/flow/map.html", context)


class ChoiceFormSet(VersionCheckedInlineFormSet):
    """Choices are checked together with their question: a published flow must stay sound.

    The rows' version check (VersionCheckedInlineFormSet, and each row's form) runs first; the graph
    is checked only when every row is valid and current.
    """

    def clean(self):
        super().clean()
        question = self.instance
        flow = locked_flow(question.flow_id) if question.flow_id else None
        if flow is None or flow.status != Flow.Status.PUBLISHED or any(self.errors):
            return
        nodes = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("slug"):
                continue
            nodes.append(choice_node(flow, data["slug"], data.get("next_question"), data.get("outcome")))
        original = (
            Question.objects.filter(pk=question.pk).values_list("slug", flat=True).first() if question.pk else None
        )
        refuse_if_broken(flow, replace_question(flow_graph(flow), original, QuestionNode(question.slug, nodes)))


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
        match = request.resolver_match
        object_id = match.kwargs.get("object_id") if match else None
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
        refuse_if_stored_flow_broken(obj.flow_id)

    def is_live(self, obj, request=None):
        return flow_is_published(obj.flow_id) if obj is not None else new_row_is_live(request)


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
        question = self.instance.question
        flow = locked_flow(question.flow_id)
        if flow is None or flow.status != Flow.Status.PUBLISHED:
            return cleaned
        nodes = []
        for choice in question.choices.select_related("next_question", "outcome").order_by("order", "id"):
            if choice.pk == self.instance.pk:
                values = (cleaned.get("slug"), cleaned.get("next_question"), cleaned.get("outcome"))
            else:
                values = (choice.slug, choice.next_question, choice.outcome)
            nodes.append(choice_node(flow, *values))
        refuse_if_broken(flow, replace_question(flow_graph(flow), question.slug, QuestionNode(question.slug, nodes)))
        return cleaned


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
        refuse_if_stored_flow_broken(obj.question.flow_id)

    def is_live(self, obj, request=None):
        return obj is None or flow_is_published(obj.question.flow_id)


class OutcomeAdminForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["flow", "slug", "heading", "what_happened", "account_state", "citations", "sources", "faq_articles"]

    def clean(self):
        cleaned = super().clean()
        flow, slug = cleaned.get("flow"), cleaned.get("slug")
        if self.instance.pk is None and flow is not None and slug:
            flow = locked_flow(flow.pk)
            graph = flow_graph(flow)
            refuse_if_broken(flow, dataclasses.replace(graph, outcomes=(*graph.outcomes, slug)))
        return cleaned


class OutcomeProcedureInline(EditorialInlineMixin, admin.TabularInline):
    model = OutcomeProcedure
    extra = 1
    fields = ["order", "procedure"]


@admin.register(OutcomeProcedure)
class OutcomeProcedureAdmin(ChildAdminMixin, EditorialAdmin):
    """An outcome's procedures are edited on its page; this gives each row its history and revert."""

    list_display = ["procedure", "outcome", "order"]
    list_select_related = ["procedure", "outcome"]
    readonly_fields = ["outcome", "version", "updated_at", "updated_by"]
    fields = ["outcome", "order", "procedure", "version", "updated_at", "updated_by"]

    def is_live(self, obj, request=None):
        return obj is None or flow_is_published(obj.outcome.flow_id)


@admin.register(Outcome)
class OutcomeAdmin(EditorialAdmin, TranslationAdmin):
    form = OutcomeAdminForm
    list_display = ["heading", "slug", "flow", "account_state", "updated_at"]
    list_filter = ["flow"]
    list_select_related = ["flow", "account_state"]
    search_fields = ["heading", "slug", "what_happened"]
    # Django's own widgets, not the autocomplete (select2) ones, whose comboboxes have no accessible
    # name and whose search boxes have no label; the lists are short.
    filter_horizontal = ["citations", "sources", "faq_articles"]
    inlines = [OutcomeProcedureInline]
    readonly_fields = ["version", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["flow", "slug", "heading", "what_happened"]}),
        (_("What it is about"), {"fields": ["account_state", "citations", "sources", "faq_articles"]}),
        (_("Changes"), {"fields": ["version", "updated_at", "updated_by"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "flow"] if obj is not None else readonly

    def is_live(self, obj, request=None):
        return flow_is_published(obj.flow_id) if obj is not None else new_row_is_live(request)

    def validate_revert(self, obj):
        refuse_if_stored_flow_broken(obj.flow_id)
