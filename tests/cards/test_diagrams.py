import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from inquiry.cards.diagrams import state_diagram, two_accounts_picture
from inquiry.cards.selectors import accounts_with_states

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
