"""Card pages on a small world built for the test (tests/support/builders.py), no shipped content."""

import pytest

from tests.support import builders
from tests.support.html import main_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_a_procedure_page_shows_its_steps_in_order(client, lang):
    procedure = builders.procedure("small-procedure", steps=3)
    response = client.get(f"/{lang}/card/procedures/{procedure.slug}/")
    assert response.status_code == 200
    steps = ["第1步", "第2步", "第3步"] if lang == "zh-hans" else ["Step 1", "Step 2", "Step 3"]
    text = main_of(response).text
    assert [text.index(step) for step in steps] == sorted(text.index(step) for step in steps)
