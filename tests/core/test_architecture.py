"""The apps' imports point one way. Each `inquiry.<app>` import (at module level or inside a function)
is an arrow app → app; an arrow not in ALLOWED, or a cycle among the arrows, fails the test with the file
and line. The same picture is in docs/architecture.md: change both together."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "inquiry"

# app → the apps it may import. Lower floors first; nothing imports `site` (only socsec/urls.py).
ALLOWED = {
    "core": set(),
    "editorial": {"core"},
    "law": {"core", "editorial"},
    "places": {"core", "editorial", "law"},
    "cards": {"core", "editorial", "law", "places"},
    "faq": {"cards", "core", "editorial", "law", "places"},
    "guide": {"cards", "core", "editorial", "faq", "law", "places"},
    "feedback": {"core", "faq", "guide"},
    "search": {"core", "editorial", "faq", "feedback", "guide", "law"},
    "operations": {"core", "search"},
    "site": {"core", "faq", "guide", "cards", "law", "places", "search"},
}


def app_of(path):
    return path.relative_to(PACKAGE).parts[0]


def imported_modules(node, path):
    """The absolute module names an import statement names (relative imports resolved from `path`)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        return [node.module]
    # inquiry/faq/views.py is the module inquiry.faq.views (and inquiry/faq/__init__.py stands for inquiry.faq).
    package = path.relative_to(ROOT).with_suffix("").parts[: -node.level]
    base = ".".join([*package, *([node.module] if node.module else [])])
    return [base] if node.module else [f"{base}.{alias.name}" for alias in node.names]


def sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent != PACKAGE:
            yield path, path.read_text(encoding="utf-8")


def arrows(files=None):
    """[(from_app, to_app, path, line)] for every import of another inquiry app, wherever it stands."""
    found = []
    for path, text in sources() if files is None else files:
        source = app_of(path)
        for node in ast.walk(ast.parse(text, filename=str(path))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for module in imported_modules(node, path):
                match = re.match(r"inquiry\.(\w+)", module)
                if match and match.group(1) != source:
                    found.append((source, match.group(1), path.relative_to(ROOT), node.lineno))
    return found


def test_every_app_is_in_the_picture():
    apps = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}
    assert apps == set(ALLOWED)


def test_imports_follow_the_allowed_arrows():
    wrong = [
        f"{path}:{line}: {source} imports {target}"
        for source, target, path, line in arrows()
        if target not in ALLOWED[source]
    ]
    assert not wrong, "imports against the documented direction (docs/architecture.md):\n" + "\n".join(wrong)


def find_cycle(graph):
    """A list of apps forming a cycle in `graph` ({app: {apps}}), or None."""
    state = {}

    def visit(app, trail):
        state[app] = "open"
        for target in sorted(graph.get(app, ())):
            if state.get(target) == "open":
                return [*trail[trail.index(target) :], target]
            if target not in state and (cycle := visit(target, [*trail, target])):
                return cycle
        state[app] = "done"
        return None

    for app in sorted(graph):
        if app not in state and (cycle := visit(app, [app])):
            return cycle
    return None


def test_the_allowed_graph_and_the_imports_have_no_cycle():
    assert find_cycle(ALLOWED) is None
    measured = {}
    for source, target, _path, _line in arrows():
        measured.setdefault(source, set()).add(target)
    assert find_cycle(measured) is None


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_core_imports_no_other_app_and_nothing_imports_site():
    assert not [(path, line) for source, target, path, line in arrows() if source == "core"]
    assert not [(path, line, source) for source, target, path, line in arrows() if target == "site"]


def test_a_back_arrow_is_caught_at_module_level_and_inside_a_function():
    core = PACKAGE / "core" / "probe.py"
    faq = PACKAGE / "faq" / "probe.py"
    files = [
        (core, "def f():\n    from inquiry.faq import models\n"),
        (faq, "import inquiry.guide.selectors\nfrom ..guide import engine\nfrom . import views\n"),
    ]
    assert arrows(files) == [
        ("core", "faq", core.relative_to(ROOT), 2),
        ("faq", "guide", faq.relative_to(ROOT), 1),
        ("faq", "guide", faq.relative_to(ROOT), 2),
    ]


# Template tag libraries: {% load name %} in templates/<app>/ may only load a library of an app it may import.
TEMPLATES = ROOT / "templates"
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")

# The one way up, in templates only: the FAQ and guide pages embed "Was this page helpful?" with the
# feedback app's `ask_feedback` tag (an include with two values, no code). The Python arrow stays
# feedback → faq, guide: feedback knows their pages, they know its box by name only.
# Shared includes (templates/includes/, used by the cards, FAQ and guide pages) may fill in local values
# with the places app's filter: every app that includes them may load it.
TEMPLATE_EXCEPTIONS = {("faq", "feedback"), ("guide", "feedback"), ("includes", "places")}


def tag_libraries():
    """{library name: app} for the template tag libraries under inquiry/<app>/templatetags/."""
    return {path.stem: app_of(path) for path in PACKAGE.glob("*/templatetags/*.py") if path.name != "__init__.py"}


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.glob("*/**/*.html")), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_templates_load_tag_libraries_only_from_apps_below(path):
    app = path.relative_to(TEMPLATES).parts[0]
    libraries = tag_libraries()
    wrong = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for match in LOAD.finditer(line):
            for name in match.group(1).split():
                owner = libraries.get(name)
                allowed = ALLOWED.get(app, set())
                if owner and owner != app and owner not in allowed and (app, owner) not in TEMPLATE_EXCEPTIONS:
                    wrong.append(f"templates/{path.relative_to(TEMPLATES)}:{number}: loads {name} of {owner}")
    assert not wrong, "\n".join(wrong)
