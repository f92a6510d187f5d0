"""Card pages in both languages, on the shipped content: both accounts with their states, and every
procedure with its steps."""

import pytest
from django.utils.html import escape

from inquiry.cards.models import Account, Procedure
from tests.support.html import get_ok

pytestmark = pytest.mark.usefixtures("shipped_content")

LANGUAGES = ["zh-hans", "en"]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_card_page_shows_both_accounts_and_their_states(client, lang):
    html = get_ok(client, f"/{lang}/card/")
    for account in Account.objects.prefetch_related("states"):
        assert f'id="{account.slug}"' in html
        assert 'class="state-diagram"' in html
        for state in account.states.all():
            assert f'id="state-{state.slug}"' in html
            assert escape(state.name_zh_hans if lang == "zh-hans" else state.name_en) in html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_procedure_pages(client, lang):
    for procedure in Procedure.objects.prefetch_related("steps"):
        html = get_ok(client, f"/{lang}/card/procedures/{procedure.slug}/")
        for step in procedure.steps.all():
            assert escape(step.title_zh_hans if lang == "zh-hans" else step.title_en) in html
