"""The kinds of page that ask "Was this page helpful?". Feedback depends on them, never the other way
round: each kind is one `register` call below."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FeedbackTarget:
    kind: str  # stored in every answer
    label: object
    public_object: Callable[[int], object]  # the public object with this id, or None (one query)
    objects: Callable[[list[int]], dict]  # {id: object} for the report, with str() and get_absolute_url()


_targets: dict[str, FeedbackTarget] = {}


def register(target: FeedbackTarget):
    _targets[target.kind] = target


def target_for(kind):
    return _targets.get(kind)


def register_builtin_targets():
    from inquiry.faq.models import Article

    fields = ("id", "slug", "title_zh_hans", "title_en")
    register(
        FeedbackTarget(
            kind="faq",
            label=_("Question and answer"),
            public_object=lambda pk: Article.objects.published().filter(pk=pk).only(*fields).first(),
            objects=lambda ids: Article.objects.only(*fields).in_bulk(ids),
        )
    )
    register_guide_target()


def register_guide_target():
    """Outcomes of the guide: the answer a visitor reaches. Their public address (`get_absolute_url`,
    used by the feedback and thank-you pages and the admin report) leads to the outcome's shareable
    page with the shortest answers."""
    from inquiry.guide.models import Flow, Outcome

    fields = ("id", "slug", "heading_zh_hans", "heading_en", "flow__id", "flow__slug")
    register(
        FeedbackTarget(
            kind="guide",
            label=_("Guided answer"),
            public_object=lambda pk: (
                Outcome.objects.filter(pk=pk, flow__in=Flow.objects.published())
                .select_related("flow")
                .only(*fields)
                .first()
            ),
            objects=lambda ids: Outcome.objects.select_related("flow").only(*fields).in_bulk(ids),
        )
    )
