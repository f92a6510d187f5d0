"""Which pages cite a law article, found from the models' own relations.

Any model may cite law articles: it has a many-to-many field to `law.LawArticle` (by habit named
`citations`). The law app does not import those models (the arrows point one way: faq → law); it finds
them through Django's model meta, as the reverse relations of LawArticle, and lists on a law article's
page the public objects of each kind that cite it.

The convention a citing model follows (three class attributes, nothing to register):

    citing_label = _("Questions and answers")   # the heading of its list on a law article's page
    citing_order = 10                            # where that list comes: lower first

    @classmethod
    def public_citing(cls):
        # The objects a visitor may open (published, in a published guide, ...), with `get_absolute_url`
        # and `__str__`; trimmed with only() and select_related() to what those two need.
        return cls.objects.published().only("id", "slug", "title_zh_hans", "title_en")

A model with a relation to LawArticle that does not follow it is an error (ImproperlyConfigured), so a
new citing model cannot be silently left off the law pages. A part of a page that cites law (a step of a
procedure, say) is not a page of its own: put the citations on the page it belongs to (Procedure.citations),
which is what the visitor should be sent to.

Cost: one query per kind, whatever the number of citing objects.
"""

from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ImproperlyConfigured

from .models import LawArticle

CONVENTION = ("citing_label", "citing_order", "public_citing")


@dataclass(frozen=True)
class CitingKind:
    model: type
    field: str  # the model's many-to-many field to LawArticle
    label: object  # a lazy translated string
    order: int

    def public_citing(self, article):
        return self.model.public_citing().filter(**{self.field: article}).distinct()


@cache
def citing_kinds():
    """Every model with a many-to-many relation to LawArticle, in the order its lists are shown."""
    kinds = []
    for relation in LawArticle._meta.get_fields():
        if not (relation.many_to_many and relation.auto_created):
            continue
        model, field = relation.related_model, relation.field.name
        missing = [name for name in CONVENTION if not hasattr(model, name)]
        if missing:
            raise ImproperlyConfigured(
                f"{model._meta.label}.{field} cites law articles, but {model.__name__} lacks {', '.join(missing)} "
                "(see inquiry.law.citations)"
            )
        kinds.append(CitingKind(model=model, field=field, label=model.citing_label, order=model.citing_order))
    kinds.sort(key=lambda kind: (kind.order, kind.model._meta.label))
    return tuple(kinds)


def citing_pages(article):
    """[(label, [objects])] of the public pages citing `article`: one query per kind."""
    pages = []
    for kind in citing_kinds():
        objects = list(kind.public_citing(article))
        if objects:
            pages.append((kind.label, objects))
    return pages
