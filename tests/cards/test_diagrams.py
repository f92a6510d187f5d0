import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from inquiry.cards.diagrams import WIDTH, layout, state_diagram, two_accounts_picture
from inquiry.cards.selectors import accounts_with_states

pytestmark = pytest.mark.usefixtures("shipped_content")

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_state_diagrams_are_valid_accessible_svg(lang):
    with translation.override(lang):
        for account in accounts_with_states():
            root = ET.fromstring(str(state_diagram(account)))
            # A group of links (one per state), named by its title and described by its desc.
            assert root.get("role") == "group"
            assert root.get("aria-labelledby") == f"diagram-{account.slug}-title"
            assert root.get("aria-describedby") == f"diagram-{account.slug}-desc"
            assert len(root.findall(f"{SVG}a")) == len(account.states.all())
            title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
            assert title.text and account.name in title.text
            states = list(account.states.all())
            # One box per state, one arrow per state change, every change named in the description.
            assert len(root.findall(f".//{SVG}rect")) == len(states)
            transitions = [t for s in states for t in s.transitions_out.all()]
            assert len(root.findall(f".//{SVG}line")) + len(root.findall(f"{SVG}path")) == len(transitions)
            for transition in transitions:
                assert transition.label in desc.text


def _overlap(a, b):
    (ax, ay, aw, ah), (bx, by, bw, bh) = a, b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def _touches(rect, segment, slack=1):
    """Whether a straight (horizontal or vertical) arrow piece passes through a label's rectangle."""
    x, y, w, h = rect
    x1, y1, x2, y2 = segment
    return min(x1, x2) < x + w + slack and max(x1, x2) > x - slack and min(y1, y2) < y + h and max(y1, y2) > y


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_every_arrow_is_labelled_and_no_label_overlaps(lang):
    with translation.override(lang):
        for account in accounts_with_states():
            transitions = [t for s in account.states.all() for t in s.transitions_out.all()]
            root = ET.fromstring(str(state_diagram(account)))
            drawn = ["".join(text.itertext()) for text in root.iter(f"{SVG}text")]
            labels = [
                " ".join(span.text for span in text)
                for text in root.iter(f"{SVG}text")
                if text.get("class") == "state-edge-label"
            ]
            assert len(labels) == len(transitions), drawn
            for transition in transitions:
                # Wrapped onto lines (Chinese anywhere, English at spaces): the words are all there.
                assert any(label.replace(" ", "") == transition.label.replace(" ", "") for label in labels), (
                    transition.label
                )
                assert all(float(text.get("font-size")) >= 14 for text in root.iter(f"{SVG}text"))

            placed = layout(account)
            rects = [label.rect for label in placed.labels]
            boxes = [(x, y, w, h) for _state, x, y, w, h, _lines in placed.boxes]
            assert len(rects) == len(transitions)
            for index, rect in enumerate(rects):
                x, y, w, h = rect
                assert x >= 0 and x + w <= WIDTH and y >= 0 and y + h <= placed.height, rect
                for other in rects[index + 1 :] + boxes:
                    assert not _overlap(rect, other), (placed.labels[index].lines, other)
            # No arrow runs through a label: only its own arrow comes near it, and beside it, not across.
            for label in placed.labels:
                for segment in placed.segments():
                    assert not _touches(label.rect, segment), (label.lines, segment)


@pytest.mark.django_db
def test_transition_labels_are_escaped():
    account = accounts_with_states().first()
    transition = next(t for s in account.states.all() for t in s.transitions_out.all())
    transition.label = '<b onclick="x()">&</b>'
    svg = str(state_diagram(account))
    assert "<b " not in svg
    assert "&lt;b" in svg
    ET.fromstring(svg)


@pytest.mark.django_db
def test_state_names_are_escaped():
    account = accounts_with_states().first()
    state = account.states.all()[0]
    state.name = '<script>alert("x")</script>'
    svg = str(state_diagram(account))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_two_accounts_picture_is_valid_svg():
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            root = ET.fromstring(str(two_accounts_picture()))
            assert root.find(f"{SVG}desc").text
