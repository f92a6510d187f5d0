import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, resolvers
from django.urls import translate_url as django_translate_url
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language

from .absolute import site_origin
from .chrome import Chrome
from .text_size import is_large, normal_size, same_size, switch_links

NATIVE_NAMES = {"zh-hans": "简体中文", "en": "English"}


def site(request):
    """Site name and, for the language switcher, this same page in each language."""
    current = get_language()
    query = request.META.get("QUERY_STRING", "")
    alternates = []
    for code, name in settings.LANGUAGES:
        # At the larger text size the other language stays at the larger size.
        url = same_size(request, normal_size(same_page_in(page_path(request), code)))
        if query:
            url = f"{url}?{query}"
        alternates.append(
            {
                "code": code,
                "tag": html_lang(code),
                "native_name": NATIVE_NAMES.get(code, name),
                "url": url,
                "current": code == current,
            }
        )
    return {
        "site_name": settings.SOCSEC_SITE_NAME,
        # The page shell's parts that no request changes, kept rendered (chrome.py).
        "chrome": Chrome(request),
        "language_alternates": alternates,
        "html_lang": html_lang(current),
        **search_engine_links(request, current),
        **switch_links(request),
    }


def page_path(request):
    """The page's path as the URL resolver reads it: without the larger-text segment (text_size.py)."""
    return request.path_info if is_large(request) else request.path


def same_page_in(path, code):
    """`path` in language `code`. An address that names no page (the 404 page) still has its language
    prefix swapped, so the switcher keeps the visitor where they were, in the other language."""
    path = as_path(path)
    url = translate_url(path, code)
    if url == path:
        for other, _name in settings.LANGUAGES:
            if other != code and path.startswith(f"/{other}/"):
                return f"/{code}/{path.removeprefix(f'/{other}/')}"
    return url


def as_path(path):
    """A request's path as a URL that cannot be read as a host: "//evil.example/x" names no page (it
    gets the 404 page), but as a link or to URL parsers (translate_url's urlsplit) it means another site,
    and one with brackets in it ("//a[b/") makes them raise. One leading slash keeps it a path."""
    return "/" + path.lstrip("/") if path.startswith("//") else path


OPEN_GRAPH_LOCALES = {"zh-hans": "zh_CN", "en": "en_US"}


def search_engine_links(request, current, url=None):
    """Absolute URLs for the canonical and hreflang links: this page without its query string (or
    `url`, a path with an optional query string), in each language, and as x-default the address
    without a language prefix, which sends each visitor to their browser's language (the same
    x-default as in the sitemap)."""
    # One page for search engines: the larger-text address names the page at the usual size.
    url = as_path(normal_size(page_path(request) if url is None else url))
    # This site's scheme and host (SITE_URL), then the path: build_absolute_uri(path) would read a path that starts
    # with "//" (the x-default of "/zh-hans//x" is "//x") as another host, or fail to parse it.
    origin = site_origin(request)

    def absolute(path):
        return origin + iri_to_uri(path)

    hreflang = [
        {"tag": html_lang(code), "url": absolute(normal_size(translate_url(url, code)))}
        for code, _name in settings.LANGUAGES
    ]
    prefixed = normal_size(translate_url(url, settings.LANGUAGE_CODE))
    default = absolute(prefixed.replace(f"/{settings.LANGUAGE_CODE}/", "/", 1))
    return {
        "canonical_url": absolute(url),
        "hreflang_links": hreflang,
        "x_default_url": default,
        "og_locale": OPEN_GRAPH_LOCALES.get(current, "zh_CN"),
        "og_locale_alternates": [locale for code, locale in OPEN_GRAPH_LOCALES.items() if code != current],
    }


def canonical_links(request, url):
    """For a view whose page has another canonical address than its own path (the guide's pages carry
    answers in the query string): the same links for `url`. Put them in the view's context, which
    takes precedence over this context processor's."""
    return search_engine_links(request, get_language(), url)


def translate_url(url, code):
    """Django's `translate_url` (this address in language `code`), remembered: it resolves and reverses
    the address, and a page asks for it five times (the language switcher, the hreflang links). What it
    gives depends on nothing but the address and the URL configuration: the active language and region
    (Django's URL caches are keyed by `resolvers.get_language()`, which names both, see
    inquiry/places/resolver.py), the script prefix (the larger-text segment) and the URLconf."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _translated(url, code, resolvers.get_language(), get_script_prefix(), urlconf)


@functools.lru_cache(maxsize=4096)
def _translated(url, code, _language, _script_prefix, _urlconf):
    return django_translate_url(url, code)


@receiver(setting_changed)
def _forget_translated(**kwargs):
    _translated.cache_clear()  # a test changed the URLs or the languages


def html_lang(code):
    """Django's language code as a BCP 47 tag for the lang attribute: zh-hans → zh-Hans."""
    return "zh-Hans" if (code or "").lower() == "zh-hans" else (code or "zh-Hans")
