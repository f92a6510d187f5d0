from django.conf import settings

from inquiry.core.absolute import site_origin

from .context import current_region


def region(request):
    """On a regional page: the region, and search-engine links that do not split the national pages.

    Canonical and hreflang stay regional when the region has values of its own (its pages say something
    the national pages do not); otherwise they name the national page. x-default is always the national
    address without a language (a regional address without a language names no page).
    """
    shown = current_region()
    if shown is None:
        return {"region": None}
    origin = site_origin(request)
    _empty, language, rest = request.path_info.split("/", 2)
    rest = rest.removeprefix(f"{shown.slug}/")
    context = {"region": shown, "x_default_url": f"{origin}/{rest}"}
    if not any(value.region_slug == shown.slug for value in shown.values.values()):
        context["canonical_url"] = f"{origin}/{language}/{rest}"
        context["hreflang_links"] = [
            {"tag": "zh-Hans" if code == "zh-hans" else code, "url": f"{origin}/{code}/{rest}"}
            for code, _name in settings.LANGUAGES
        ]
    return context
