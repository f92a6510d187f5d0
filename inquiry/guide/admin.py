import dataclasses

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

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
        if cleaned.get("status") != Flow.Status.PUBLISHED:
            return cleaned
        if not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()
        first = cleaned.get("first_question")
        if self.instance.pk:
            graph = flow_graph(self.instance)
            first_slug = first.slug if first is not None and first.flow_id == self.instance.pk else None
            graph = dataclasses.replace(graph, first_question=first_slug)
        else:
            graph = graph_from_models(self.instance, [], [], [])
        refuse_if_broken(Flow(status=Flow.Status.PUBLISHED), graph)
        return cleaned


@admin.register(Flow)
class FlowAdmin(TranslationAdmin):
    form = FlowAdminForm
    list_display = ["title", "slug", "status", "published_at", "map_link", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    readonly_fields = ["contents", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "intro"]}),
        (_("Questions and outcomes"), {"fields": ["first_question", "contents"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "order"]}),
        (_("Changes"), {"fields": ["updated_at", "updated_by"]}),
    ]

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
            _("Questions"),
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


class ChoiceFormSet(BaseInlineFormSet):
    """Choices are checked together with their question: a published flow must stay sound."""

    def clean(self):
        super().clean()
        question = self.instance
        flow = question.flow if question.flow_id else None
        if flow is None or flow.status != Flow.Status.PUBLISHED or any(self.errors):
            return
        nodes = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("slug"):
                continue
            target_question, target_outcome = data.get("next_question"), data.get("outcome")
            nodes.append(
                ChoiceNode(
                    slug=data["slug"],
                    next_question=target_question.slug if target_question else None,
                    outcome=target_outcome.slug if target_outcome else None,
                    outside=any(
                        target is not None and target.flow_id != flow.pk for target in (target_question, target_outcome)
                    ),
                )
            )
        original = (
            Question.objects.filter(pk=question.pk).values_list("slug", flat=True).first() if question.pk else None
        )
        refuse_if_broken(flow, replace_question(flow_graph(flow), original, QuestionNode(question.slug, nodes)))


class ChoiceInline(TranslationTabularInline):
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
class QuestionAdmin(TranslationAdmin):
    list_display = ["prompt", "slug", "flow", "order", "updated_at"]
    list_filter = ["flow"]
    list_select_related = ["flow"]
    search_fields = ["prompt", "slug"]
    inlines = [ChoiceInline]
    readonly_fields = ["updated_at", "updated_by"]
    fields = ["flow", "slug", "prompt", "hint", "why_we_ask", "order", "updated_at", "updated_by"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a question to another guide would cut the links that lead to it.
        return [*self.readonly_fields, "flow"] if obj is not None else self.readonly_fields


class OutcomeAdminForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["flow", "slug", "heading", "what_happened", "account_state", "citations", "faq_articles"]

    def clean(self):
        cleaned = super().clean()
        flow, slug = cleaned.get("flow"), cleaned.get("slug")
        if self.instance.pk is None and flow is not None and slug:
            graph = flow_graph(flow)
            refuse_if_broken(flow, dataclasses.replace(graph, outcomes=(*graph.outcomes, slug)))
        return cleaned


class OutcomeProcedureInline(admin.TabularInline):
    model = OutcomeProcedure
    extra = 1
    fields = ["order", "procedure"]
    autocomplete_fields = ["procedure"]


@admin.register(Outcome)
class OutcomeAdmin(TranslationAdmin):
    form = OutcomeAdminForm
    list_display = ["heading", "slug", "flow", "account_state", "updated_at"]
    list_filter = ["flow"]
    list_select_related = ["flow", "account_state"]
    search_fields = ["heading", "slug", "what_happened"]
    autocomplete_fields = ["account_state", "citations", "faq_articles"]
    inlines = [OutcomeProcedureInline]
    readonly_fields = ["updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["flow", "slug", "heading", "what_happened"]}),
        (_("What it is about"), {"fields": ["account_state", "citations", "faq_articles"]}),
        (_("Changes"), {"fields": ["updated_at", "updated_by"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "flow"] if obj is not None else self.readonly_fields
