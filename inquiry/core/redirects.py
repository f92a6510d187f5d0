"""A page whose slug changed answers its old URLs with a permanent redirect, in every language.

Apps say which URL names carry which model's slug (`register_slug_route`, from `AppConfig.ready`);
the admin records a `SlugRedirect` when a slug changes (`record_slug_change`); and
`SlugRedirectMiddleware` looks the old slug up only when a page has already answered 404, so live
pages cost nothing.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import Resolver404, resolve, reverse

from .models import SlugRedirect


@dataclass(frozen=True)
class SlugRoute:
    url_name: str  # "faq:article_detail"
    model: type
    kwarg: str  # the URL keyword that holds the slug
    slug_field: str = "slug"


_routes: dict[str, SlugRoute] = {}


def register_slug_route(url_name, *, model, kwarg="slug", slug_field="slug"):
    """Old values of `model.<slug_field>` in the `kwarg` of URL `url_name` redirect to the current one."""
    _routes[url_name] = SlugRoute(url_name=url_name, model=model, kwarg=kwarg, slug_field=slug_field)


def has_slug_route(model):
    return any(route.model is model for route in _routes.values())


@transaction.atomic
def record_slug_change(*, obj, old_slug, slug_field="slug"):
    """Remember that `obj` was reachable at `old_slug`. The new slug stops being a redirect."""
    new_slug = getattr(obj, slug_field)
    if not old_slug or old_slug == new_slug:
        return None
    content_type = ContentType.objects.get_for_model(type(obj))
    # The object owns its new slug again: a redirect from it would never be reached, and keeping it
    # would make a loop possible if the slug moved on later.
    SlugRedirect.objects.filter(content_type=content_type, old_slug=new_slug).delete()
    redirect, _ = SlugRedirect.objects.update_or_create(
        content_type=content_type, old_slug=old_slug, defaults={"object_id": obj.pk}
    )
    return redirect


def redirect_target(model, old_slug):
    """The object that used to live at `old_slug`, or None."""
    content_type = ContentType.objects.get_for_model(model)
    object_id = (
        SlugRedirect.objects.filter(content_type=content_type, old_slug=old_slug)
        .values_list("object_id", flat=True)
        .first()
    )
    if object_id is None:
        return None
    return model._default_manager.filter(pk=object_id).first()


def redirect_url_for(path_info):
    """The current URL of the page that used to be at `path_info`, or None."""
    try:
        match = resolve(path_info)
    except Resolver404:
        return None
    route = _routes.get(match.view_name)
    if route is None or route.kwarg not in match.kwargs:
        return None
    old_slug = match.kwargs[route.kwarg]
    target = redirect_target(route.model, old_slug)
    # A draft's new address is nobody's business but the editors'.
    if target is None or not getattr(target, "is_public", True):
        return None
    new_slug = getattr(target, route.slug_field)
    if new_slug == old_slug:
        return None
    return reverse(match.view_name, kwargs={**match.kwargs, route.kwarg: new_slug})
