"""The relevance benchmark's questions against the shipped content (as `bench/relevance.py` runs
them): the ones whose answer exists here must find it in the top 3, at least 90% of them."""

import pytest

from bench.relevance import TARGET, evaluate, load_questions, page_names

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_content")]


def test_at_least_40_questions_in_both_languages():
    questions = load_questions()
    assert len(questions) >= 40
    assert {item["lang"] for item in questions} == {"zh-hans", "en"}
    assert all(item["answers"] and item["q"].strip() for item in questions)


def test_questions_whose_answer_exists_find_it_in_the_top_3(no_page_cache):
    outcomes = [outcome for outcome in evaluate(load_questions(), page_names()) if outcome.answer_exists]
    assert len(outcomes) >= 40
    share = sum(outcome.hit for outcome in outcomes) / len(outcomes)
    misses = [(outcome.item["q"], outcome.top) for outcome in outcomes if not outcome.hit]
    assert share >= TARGET, misses
