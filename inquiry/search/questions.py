"""How close what a visitor typed is to the questions a page answers.

A page answers the question in its title and the other phrasings of it that editors list ("also
asked"), each written as people ask it. A visitor's question is often close to one of them as a whole
while sharing few exact words with the rest of the page ("如何办理电子社保卡" and "电子社保卡怎么申请"),
so the first pages of results are re-ranked (`selectors.find`) by how close the query is to the
nearest of a page's questions, together with the index's own order.

Closeness is the cosine of two weighted bags of features, as a search engine compares a query with a
short document: Chinese as overlapping pairs of characters (which need no word list and survive the
words being cut differently), other text as word stems and pairs of stems in a row; the question words
(怎么, 如何, how, what ...) left out. Each feature weighs (1 + log of its count) times its inverse
frequency among every page's questions in that language, so a pair on every page (社保) counts little.
"""

import math
import re
from collections import Counter
from functools import lru_cache

from .text import _QUESTION_WORDS, ENGLISH_STOPWORDS, _runs, fold, stem

# Question words, particles and pronouns: in most questions, so they say nothing about which.
_LEFT_OUT = re.compile(_QUESTION_WORDS.pattern + "|[了的吗呢吧啊呀我你您]")


# Groups of people some pages are written for (foreigners; residents of Hong Kong, Macao and Taiwan),
# as their titles name them. Such a page answers its question for that group only, so it is a weaker
# match for a question that names none of its groups ("退休年龄最新规定" is not asking about foreigners).
AUDIENCES = (
    re.compile(r"外国|外籍|老外|foreign|expat"),
    re.compile(r"港澳台|香港|澳门|台湾|hong kong|macao|macau|taiwan"),
)


@lru_cache(maxsize=4096)
def audiences(text: str) -> frozenset[int]:
    """The groups of people (indexes into AUDIENCES) that `text` names. Kept per text: the re-ranking
    asks it of the same pages' titles search after search."""
    folded = fold(text)
    return frozenset(i for i, pattern in enumerate(AUDIENCES) if pattern.search(folded))


def features(text: str) -> list[str]:
    """The features of one question: CJK character pairs (a lone character as itself), word stems
    and pairs of stems in a row, question words, particles and English stopwords left out."""
    found, stems = [], []
    for is_cjk, run in _runs(fold(text)):
        if not is_cjk:
            if run not in ENGLISH_STOPWORDS:
                stems.append(stem(run))
            continue
        for part in _LEFT_OUT.split(run):
            if len(part) == 1:
                found.append(part)
            found += [part[i : i + 2] for i in range(len(part) - 1)]
    return found + stems + [f"{first} {second}" for first, second in zip(stems, stems[1:], strict=False)]


class QuestionWeights:
    """How many pages of each language hold each feature in their questions: the inverse frequency
    that weighs features. Built from every page's questions (one query per content generation), with
    each question's features, so a search only weighs them."""

    def __init__(self, pages):
        # pages: (language, questions text) for every indexed page.
        self._pages, self._holding = Counter(), Counter()
        self._line_features = {}  # (language, question) → its features
        self._lines = {}  # (language, question) → its vector, once a search has needed it
        for language, questions in pages:
            self._pages[language] += 1
            held = set()
            for line in filter(str.strip, questions.splitlines()):
                found = self._line_features.setdefault((language, line), features(line))
                held.update(found)
            self._holding.update((language, feature) for feature in held)

    def vector(self, text, language, light=frozenset(), light_share=1.0):
        """The weighted, unit-length feature vector of one question; the features in `light` (those of
        a place name the visitor typed) weigh `light_share` of their weight."""
        return self._vector(features(text), language, light, light_share)

    def closeness(self, query_vector, questions, language):
        """The cosine between the query and the nearest of a page's questions (one per line): 0 to 1."""
        best = 0.0
        for line in filter(str.strip, questions.splitlines()):
            vector = self._line_vector(line, language)
            best = max(best, sum(value * vector.get(feature, 0.0) for feature, value in query_vector.items()))
        return best

    def _line_vector(self, line, language):
        key = (language, line)
        vector = self._lines.get(key)
        if vector is None:
            found = self._line_features.get(key)
            # A question written after these weights were built (its page edited since) is cut here.
            vector = self._vector(features(line) if found is None else found, language)
            if found is not None:  # kept: bounded by the questions of this content
                self._lines[key] = vector
        return vector

    def _vector(self, found, language, light=frozenset(), light_share=1.0):
        pages = self._pages[language]
        vector = {
            feature: (1 + math.log(count))
            * math.log(1 + pages / (1 + self._holding[(language, feature)]))
            * (light_share if feature in light else 1.0)
            for feature, count in Counter(found).items()
        }
        norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
        return {feature: value / norm for feature, value in vector.items()}
