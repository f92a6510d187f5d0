from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

NATIVE_NAMES = {"zh-hans": "简体中文", "en": "English"}


def site(request):
    """Site name and, for the language switcher, this same page in each language."""
    current = get_language()
    query = request.META.get("QUERY_STRING", "")
    alternates = []
    for code, name in settings.LANGUAGES:
        url = translate_url(request.path, code)
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
        "language_alternates": alternates,
        "html_lang": html_lang(current),
    }


def html_lang(code):
    """Django's language code as a BCP 47 tag for the lang attribute: zh-hans → zh-Hans."""
    return "zh-Hans" if (code or "").lower() == "zh-hans" else (code or "zh-Hans")
