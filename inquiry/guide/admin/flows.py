"""The guides in the editorial admin: each flow's page, its publishing and its map.

History, compare and revert, version-checked forms and publishing by Publishers only come from
`inquiry.editorial.admin`; the guide's own rule (a published guide stays sound) is
`services.flow_ensure_sound`, called by the publish action and revert here and by the forms.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from inquiry.editorial.admin import EditorialAdmin, PublishingAdminMixin, admin_page

from ..checks import flow_problems
from ..diagrams import flow_diagram
from ..engine import OUTCOME, QUESTION, Node
from ..models import Flow, Outcome, Question
from ..selectors import graph_from_models
from ..services import flow_ensure_sound
from .forms import FlowAdminForm


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
        flow_ensure_sound(obj, publishing=True)

    def validate_revert(self, obj):
        flow_ensure_sound(obj)

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
        return admin_page(
            self,
            request,
            "admin/guide/flow/map.html",
            title=gettext("Map of “%(title)s”") % {"title": flow.title},
            flow=flow,
            problems=problems,
            diagram=flow_diagram(graph, problems, labels, choice_labels, links),
            questions=[(q, links[Node(QUESTION, q.slug)]) for q in questions],
            outcomes=[(o, links[Node(OUTCOME, o.slug)]) for o in outcomes],
            change_url=reverse("admin:guide_flow_change", args=[flow.pk]),
        )
