"""The guide's pages. Each is a function of (flow, answers in the query string): the engine decides
whether to show the page or send the visitor on, and these views only load data and render.

Staff who may see guides in the admin also see draft guides at these addresses, as a preview
(inquiry.editorial.preview); everyone else gets a 404 for a draft.

Renamed slugs. A flow's old slug answers with a 301 (SlugRedirect, registered in apps.py). A question,
answer or outcome slug is part of the page address and of shared answers (`?question=answer`); an
address that names one the flow no longer has is looked up in the history, and if the row was
renamed the visitor gets a 301 to the same page under the current names. Whatever is still unknown
after that is left to the engine, which drops it and sends the visitor to the first question that
needs an answer (or gives a 404 for a page that never existed): an old link never gives a 500.
"""

import datetime
import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views.generic import TemplateView

from inquiry.core import fragments, page_tags
from inquiry.core.absolute import absolute_url, site_origin
from inquiry.core.context_processors import canonical_links
from inquiry.core.markdown import html_to_text
from inquiry.core.page_cache import ALL_QUERY
from inquiry.editorial.preview import PreviewMixin, mark_as_preview
from inquiry.places.context import current_region_slug

from . import engine
from .engine import OUTCOME, QUESTION, Node
from .links import outcome_url, page_url
from .models import Flow
from .selectors import flow_for_pages, outcome_for_page, published_flow, published_flows, renamed_address


def query_answers(request):
    """The query string as (key, value) pairs, repeats included (the engine drops them)."""
    return [(key, value) for key, values in request.GET.lists() for value in values]


class GuideIndexView(TemplateView):
    template_name = "guide/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(flows=published_flows(), **kwargs)


class FlowStartView(PreviewMixin, TemplateView):
    template_name = "guide/start.html"

    def get_context_data(self, **kwargs):
        flow = published_flow(self.kwargs["flow_slug"], include_drafts=self.can_preview(Flow))
        self.preview = not flow.is_public
        first = flow.first_question
        start_url = page_url(flow.slug, Node(QUESTION, first.slug)) if first else None
        return super().get_context_data(flow=flow, start_url=start_url, **kwargs)


class FlowPageView(PreviewMixin, TemplateView):
    """Shared by the question, answer and outcome pages: act on the engine's decision."""

    page_kind = QUESTION
    # The answers are the query string, and anything in it that is not an answer on the path gets a
    # redirect to the cleaned address: the page cache may key these pages on all of it.
    page_cache_query = ALL_QUERY

    def decide(self, pages, answers):
        return engine.resolve_page(pages.graph, answers, Node(self.page_kind, self.kwargs[f"{self.page_kind}_slug"]))

    def get(self, request, *args, **kwargs):
        slug = kwargs["flow_slug"]
        # Staff may preview drafts: their pages are built afresh; everyone else's from the kept flow.
        self.include_drafts = self.can_preview(Flow)
        # What the flow shows is named again in what a page keeps of it (OutcomeView.outcome_content).
        with page_tags.collecting() as self.flow_tags:
            pages = self.flow_pages(slug)
        page_tags.page_shows(*self.flow_tags)
        self.preview = not pages.flow.is_public
        answers = query_answers(request)
        renamed = self.renamed_url(pages, answers)
        if renamed is not None:
            return self.redirect(renamed, permanent=True)
        decision = self.decide(pages, answers)
        if decision.action == engine.NOT_FOUND:
            raise Http404("No such page in this guide.")
        if decision.action == engine.REDIRECT:
            return self.redirect(page_url(pages.flow.slug, decision.node, decision.answers))
        status = 400 if decision.action == engine.NEEDS_ANSWER else 200
        context = self.get_context_data(pages=pages, decision=decision, **self.page_context(pages, decision))
        return self.render_to_response(context, status=status)

    def flow_pages(self, slug):
        """The flow with what its pages show, kept (a fragment); built afresh for staff, who may see drafts."""
        return fragments.cached(
            "guide-flow",
            slug,
            build=lambda: flow_for_pages(slug, include_drafts=self.include_drafts),
            fresh=self.include_drafts,
        )

    def redirect(self, url, permanent=False):
        response = redirect(url, permanent=permanent)
        # A preview's redirect is no more public than the preview (and must not be cached either).
        return mark_as_preview(response) if self.preview else response

    def renamed_url(self, pages, answers):
        """This address under the current slugs, if it names a question, answer or outcome since renamed."""
        kind = self.page_kind
        renamed = renamed_address(pages, kind, self.kwargs[f"{kind}_slug"], answers)
        if renamed is None:
            return None
        page_slug, answers = renamed
        url = reverse(self.request.resolver_match.view_name, kwargs={**self.kwargs, f"{kind}_slug": page_slug})
        return f"{url}?{urlencode(answers)}" if answers else url

    def answered(self, pages, answers, all_answers):
        """The "your answers" list: each answer with a link to change it that keeps the others."""
        return [
            {
                "question": pages.questions[answer.question],
                "label": pages.choice_label(answer.question, answer.choice),
                "change_url": page_url(pages.flow.slug, Node(QUESTION, answer.question), all_answers),
            }
            for answer in answers
        ]

    def back_url(self, pages, decision):
        previous = engine.previous_question(decision.replay.path, decision.node)
        if previous is None:
            return reverse("guide:start", kwargs={"flow_slug": pages.flow.slug})
        return page_url(pages.flow.slug, Node(QUESTION, previous), decision.answers)

    def page_context(self, pages, decision):
        raise NotImplementedError


class QuestionView(FlowPageView):
    template_name = "guide/question.html"
    page_kind = QUESTION

    def page_context(self, pages, decision):
        question = pages.questions[decision.node.slug]
        given = dict(decision.answers)
        return {
            "flow": pages.flow,
            "question": question,
            "choices": list(question.choices.all()),
            "selected": given.get(question.slug),
            "carried": [answer for answer in decision.answers if answer.question != question.slug],
            "answered": self.answered(
                pages, engine.answers_before(decision.replay.path, question.slug), decision.answers
            ),
            "back_url": self.back_url(pages, decision),
            "form_action": reverse(
                "guide:answer", kwargs={"flow_slug": pages.flow.slug, "question_slug": question.slug}
            ),
            "has_error": decision.action == engine.NEEDS_ANSWER,
            # A question page with answers is one step of a visitor's own path: search engines are
            # told not to index it (see the template) and that the guide is its start page.
            **canonical_links(self.request, reverse("guide:start", kwargs={"flow_slug": pages.flow.slug})),
        }


class AnswerView(QuestionView):
    """Where a question's GET form goes: on to the next page, or the question again with an error."""

    def decide(self, pages, answers):
        return engine.resolve_answer(pages.graph, answers, self.kwargs["question_slug"])


class OutcomeView(FlowPageView):
    template_name = "guide/outcome.html"
    page_kind = OUTCOME

    def page_context(self, pages, decision):
        """The page's content is kept whole per address (the answers are the query string: a page that
        renders has exactly the answers on its path), language, region and day (the printed checklist
        is dated): every part of it depends on nothing else."""
        request = self.request
        printed_on = timezone.localtime() if settings.USE_TZ else datetime.datetime.now()
        key = (
            "guide-outcome-page",
            current_region_slug(),
            # The address (its answers) and the site's origin (in the share and canonical links), as a digest:
            # a long key would be too long for some caches.
            hashlib.blake2b(f"{site_origin(request)}{request.get_full_path()}".encode(), digest_size=16).hexdigest(),
            printed_on.date().isoformat(),
        )
        shown = fragments.cached(
            *key,
            build=lambda: self.outcome_content(pages, decision, printed_on),
            fresh=self.include_drafts,
        )
        return {
            "flow": {"slug": pages.flow.slug, "title": shown["flow_title"]},
            "outcome": {"heading": shown["heading"]},
            "description": shown["description"],
            "outcome_page": mark_safe(shown["html"]),  # noqa: S308 - rendered by our templates
            **shown["links"],
        }

    def outcome_content(self, pages, decision, printed_on):
        """What `page_context` keeps: the content rendered (guide/includes/outcome_page.html) and the
        few values the page around it shows. What the flow shows (the questions and answers) is named
        in what is kept, so that an edit of it retires this (fragments.py)."""
        page_tags.page_shows(*self.flow_tags)
        flow, slug = pages.flow, decision.node.slug
        key = ("guide-outcome", current_region_slug(), flow.slug, slug)
        outcome = fragments.cached(*key, build=lambda: outcome_page(flow, slug), fresh=self.include_drafts)
        # Every path of answers that leads here shows the same outcome: the one address search engines
        # should keep is the shareable one, with the shortest answers (worked out from the graph in hand).
        shortest = engine.canonical_answers(pages.graph).get(slug, decision.answers)
        context = {
            "flow": flow,
            "outcome": outcome,
            "outcome_top": mark_safe(outcome["top"]),  # noqa: S308 - rendered by our templates
            "outcome_detail": mark_safe(outcome["detail"]),  # noqa: S308
            "answered": self.answered(pages, decision.answers, decision.answers),
            "back_url": self.back_url(pages, decision),
            "share_url": absolute_url(self.request, self.request.get_full_path()),
            "site_name": settings.SOCSEC_SITE_NAME,
            "printed_on": printed_on,
            "preview": self.preview,
        }
        return {
            "flow_title": str(flow.title),
            "heading": outcome["heading"],
            "description": outcome["description"],
            "html": render_to_string("guide/includes/outcome_page.html", context),
            "links": canonical_links(self.request, outcome_url(flow.slug, slug, shortest)),
        }


def outcome_page(flow, slug):
    """What the outcome page shows of an outcome whatever answers led there, in the active language
    and region: its parts rendered (guide/includes/outcome_*.html, local values filled in) and the few
    values the page around them needs. Plain values only: fragments keep it (inquiry/core/fragments.py).
    The flow's own rows are not shown here (the page shows them from `flow_for_pages`)."""
    outcome = outcome_for_page(flow, slug)
    context = {"outcome": outcome}
    return {
        "pk": outcome.pk,
        "heading": outcome.heading,
        "description": Truncator(" ".join(html_to_text(outcome.what_happened_html).split())).chars(160),
        "top": render_to_string("guide/includes/outcome_top.html", context),
        "detail": render_to_string("guide/includes/outcome_detail.html", context),
    }
