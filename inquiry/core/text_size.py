"""Larger text that stays on the next page, without JavaScript and without a cookie.

The choice lives in the address, the way the region does: `/large-text/zh-hans/faq/` is the FAQ at
the larger size. This middleware takes the segment off the path the URL resolver sees and makes it
part of the script prefix, so every link Django reverses on that page (`{% url %}`, redirects, form
actions) keeps it, and the visitor stays at the larger size from page to page. The page cache keys
on the full address (`request.path`, which keeps the segment), so the two sizes are cached apart and
each is the same for everyone; no cookie splits it.

Search engines see one page: the canonical and hreflang links name the address without the segment.
"""

from django.conf import settings
from django.urls import get_script_prefix, set_script_prefix

SEGMENT = "large-text"
PREFIX = f"/{SEGMENT}"


def _language_paths():
    return tuple(f"/{code}/" for code, _name in settings.LANGUAGES)


class TextSizeMiddleware:
    """Before LocaleMiddleware: /large-text/<lang>/… is served as /<lang>/… at the larger size."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.large_text = False
        rest = request.path_info.removeprefix(PREFIX)
        if rest == request.path_info or not (rest == "/" or rest.startswith(_language_paths())):
            return self.get_response(request)
        request.large_text = True
        request.path_info = rest
        previous = get_script_prefix()
        set_script_prefix(previous.rstrip("/") + PREFIX + "/")
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(previous)


def is_large(request):
    return bool(getattr(request, "large_text", False))


def normal_size(path):
    """`path` (a reversed URL or a request's path) at the usual size: without the segment."""
    script = get_script_prefix()
    if script.rstrip("/").endswith(PREFIX):
        base = script[: -len(PREFIX) - 1] or "/"
        if path.startswith(script):
            return base + path[len(script) :]
    return path


def switch_links(request):
    """The address of this page at the other size, for the header's switch."""
    query = request.META.get("QUERY_STRING", "")
    suffix = f"?{query}" if query else ""
    base = get_script_prefix()
    if is_large(request):
        base = base[: -len(PREFIX) - 1] or "/"
        return {"text_size_large": True, "normal_text_url": base.rstrip("/") + request.path_info + suffix}
    return {"text_size_large": False, "larger_text_url": base.rstrip("/") + PREFIX + request.path_info + suffix}


def same_size(request, path):
    """`path`, a path at the usual size, at this request's size."""
    return PREFIX + path if is_large(request) else path
