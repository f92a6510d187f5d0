import pytest


@pytest.fixture
def no_synonyms(db):
    """Searches as typed, without the shipped synonym table: for tests that check the index finds
    exactly the pages containing the words (the synonyms, tested on their own, widen that on purpose)."""
    from inquiry.search.models import SynonymGroup

    SynonymGroup.objects.all().delete()  # bumps the content generation: the next search reads the table


@pytest.fixture
def warm_search(client):
    """Prime what a busy site has ready (the synonym table and spelling vocabulary of this content
    generation, today's pruning of the search log), so query counts show the steady state."""

    def warm(language="en"):
        # Two words: a question of several words also reads the pages' questions (see by_questions).
        client.get(f"/{language}/search/", {"q": "qzxqzvwarm zqxwarm"})

    return warm
