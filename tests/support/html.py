"""A small HTML reader for page tests (the standard library's html.parser): find elements by tag and
attributes, read their text and links, compare their order in the document. Instead of slicing strings."""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent=None, position=0):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.position = position  # order of the start tag in the document
        self.children = []  # elements and strings

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    def elements(self):
        """Every element inside this one, in document order."""
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.elements()

    def matches(self, tag=None, class_=None, **attrs):
        if tag is not None and self.tag != tag:
            return False
        if class_ is not None and class_ not in self.classes:
            return False
        return all(self.attrs.get(name.rstrip("_").replace("_", "-")) == value for name, value in attrs.items())

    def find_all(self, tag=None, class_=None, **attrs):
        return [element for element in self.elements() if element.matches(tag, class_, **attrs)]

    def find(self, tag=None, class_=None, **attrs):
        """The first matching element; an AssertionError if there is none."""
        found = self.find_all(tag, class_, **attrs)
        assert found, f"no <{tag or '*'}> with class={class_!r} {attrs} in the page"
        return found[0]

    @property
    def text(self):
        return "".join(child if isinstance(child, str) else child.text for child in self.children)

    def links(self):
        """The href of every link inside, in document order."""
        return [element.attrs["href"] for element in self.find_all("a") if "href" in element.attrs]

    def link(self, href):
        """The first link to `href` inside; an AssertionError if there is none."""
        return self.find("a", href=href)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open = [self.root]
        self.count = 0

    def handle_starttag(self, tag, attrs):
        self.count += 1
        element = Element(tag, attrs, self.open[-1], self.count)
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.count += 1
        self.open[-1].children.append(Element(tag, attrs, self.open[-1], self.count))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def parse(html):
    """The document as an Element tree (`html` a string or a response with `.content`)."""
    if hasattr(html, "content"):
        html = html.content.decode()
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.root


def main_of(html):
    """The page's <main> element."""
    return parse(html).find("main")


def get_ok(client, url):
    """The page at `url` as text, asserting it answered 200."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()
