from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from .models import Region
from .resolver import region_segment


@require_GET
def choose(request):
    """The "Your city" form: the same page (`next`) under the chosen region, or national for none."""
    slug = request.GET.get("region", "").strip()
    if slug and not Region.objects.filter(slug=slug).exists():
        raise Http404("No such region")
    return HttpResponseRedirect(same_page_in_region(request.GET.get("next", ""), slug, request))


def same_page_in_region(target, slug, request):
    """`target` (a path on this site with its query string) under region `slug` ("" for national)."""
    language = get_language()
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=False
    ):
        target = f"/{language}/"
    path, _sep, query = target.partition("?")
    parts = path.split("/", 2)  # "", language, rest
    if len(parts) < 3 or parts[1] not in {code for code, _name in settings.LANGUAGES}:
        parts = ["", language, path.lstrip("/")]
    rest = parts[2]
    if region_segment(path) is not None:
        rest = rest.split("/", 1)[1] if "/" in rest else ""
    new = f"/{parts[1]}/{slug}/{rest}" if slug else f"/{parts[1]}/{rest}"
    return f"{new}?{query}" if query else new
