"""The kinds of page that ask "Was this page helpful?". Feedback depends on them, never the other way
round: adding the guide's outcomes is one more `register` call below."""

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


def all_targets():
    return list(_targets.values())


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
    # The guide's outcomes get their target here once the guide app has landed.
