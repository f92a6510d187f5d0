"""Find executable markup in HTML by parsing it (escaped text that merely mentions a tag is harmless)."""

from html.parser import HTMLParser

FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "form", "meta", "link"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


class _Finder(HTMLParser):
    def __init__(self, allowed_tags):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.allowed_tags = allowed_tags

    def handle_starttag(self, tag, attrs):
        data_block = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        if tag in FORBIDDEN_TAGS and tag not in self.allowed_tags and not data_block:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            if name in URL_ATTRIBUTES and value:
                squashed = "".join(value.split()).lower()
                if squashed.startswith(BAD_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value[:40]!r}>")

    handle_startendtag = handle_starttag


def executable_markup(html, allowed_tags=()):
    """Every tag or attribute in `html` that could run script; empty when the HTML is inert."""
    finder = _Finder(set(allowed_tags))
    finder.feed(html)
    finder.close()
    return finder.problems
