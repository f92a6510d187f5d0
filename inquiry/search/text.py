"""Turning text into search tokens, the same way for the pages we index and for what people type.

Chinese is written without spaces and many words are one or two characters (激活, 余额, 卡), so a run
of CJK characters becomes its overlapping pairs (bigrams) followed by its single characters
(unigrams): a one-character query matches a unigram, a longer one matches its bigrams as a phrase,
which is exactly "the text contains these characters in this order". Putting a run's unigrams after
its bigrams keeps the bigrams of two different runs from ever standing next to each other, so a
phrase cannot match across punctuation.

Other words (English, digits) are lower-cased and reduced to their stem with the Snowball English
stemmer, so activate, activated and activation all become "activ".

The tokens are plain space-separated words; SQLite's FTS5 (unicode61) and PostgreSQL's
to_tsvector('simple', …) both split them on the spaces and index them unchanged.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

# Han ideographs (with extensions and compatibility forms), kana and Hangul: scripts written without
# spaces between words.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ebef\U00030000-\U0003134f"
_WORD = re.compile(r"[^\W_]+")
_SPLIT = re.compile(f"([{CJK}]+)")
_CJK_RUN = re.compile(f"[{CJK}]+")
_LATIN_WORD = re.compile(r"[a-z]+")

# Traditional forms of common characters in this site's subject, folded to the simplified ones so a
# visitor who types 帳戶 or 醫療保險 finds the same pages. Not a full converter: a one-to-one table
# keeps every character in place, which the highlighter relies on.
_TRADITIONAL = (
    "帳账 賬账 戶户 銀银 行行 險险 醫医 療疗 養养 號号 領领 錢钱 補补 辦办 證证 餘余 額额 啟启 動动 "
    "會会 務务 處处 轉转 卡卡 掛挂 遺遗 繼继 勞劳 屬属 歲岁 參参 費费 續续 資资 擔担 關关 機机 "
    "構构 點点 單单 據据 碼码 鎖锁 換换 發发 區区 縣县 職职 險险 衛卫 網网 電电 話话 問问 題题 "
    "個个 為为 麼么 沒没 來来 時时 後后 這这 還还 們们 對对 應应 當当 過过 與与 經经 無无 實实 "
    "於于 從从 開开 門门 現现 義义 權权 條条 規规 例例 則则 記记 錄录 書书 認认 親亲 屬属 購购 "
    "藥药 狀状 態态 達达 體体 團团 報报 歸归 結结 約约 離离 貸贷 幣币 價价 齡龄 殘残 傷伤 險险"
)
TRADITIONAL_TO_SIMPLIFIED = {pair[0]: pair[1] for pair in _TRADITIONAL.split() if pair[0] != pair[1]}

# Words too common to narrow an English search ("how do I activate my card" searches activate + card).
# Dropped from queries only, and only when something else is left; the index keeps every word.
ENGLISH_STOPWORDS = frozenset(
    str.split(
        """a an and are as at be been but by can could do does did for from had has have how i if in into is it
    its me my no not of on or our s so than that the their them then there these they this to too was we
    were what when where which who why will with would you your"""
    )
)

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """English words to their stem; numbers and words in other scripts as they are."""
    if _LATIN_WORD.fullmatch(word):
        return _stemmer.stemWord(word)
    return word


_TRADITIONAL_TABLE = str.maketrans(TRADITIONAL_TO_SIMPLIFIED)


def _fold_char(char: str) -> str:
    return unicodedata.normalize("NFKC", char).casefold().translate(_TRADITIONAL_TABLE)


def _one_to_one(text: str) -> str | None:
    """`text` folded, if folding keeps every character in its place (nearly always); else None."""
    if text.isascii():
        return text.lower()
    if unicodedata.is_normalized("NFKC", text):
        folded = text.casefold()
        if len(folded) == len(text):  # casefold only ever lengthens (ß → ss)
            return folded.translate(_TRADITIONAL_TABLE)
    return None


def fold(text: str) -> str:
    """Full-width to half-width, case-folded, common traditional characters to simplified."""
    folded = _one_to_one(text)
    if folded is None:
        folded = "".join(_fold_char(char) for char in text)
    return folded


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """`fold(text)` and, for each character of it, the index of the original character it came from
    (None when they are the same: the folded text is as long as the original)."""
    folded = _one_to_one(text)
    if folded is not None:
        return folded, None
    pieces, offsets = [], []
    for index, char in enumerate(text):
        piece = _fold_char(char)
        pieces.append(piece)
        offsets.extend([index] * len(piece))
    return "".join(pieces), offsets


def _runs_with_spans(folded: str):
    """(start, end, is_cjk, text) for each run of word characters, CJK and other scripts apart."""
    if folded.isascii():
        for word in _WORD.finditer(folded):
            yield word.start(), word.end(), False, word.group()
        return
    for word in _WORD.finditer(folded):
        position = word.start()
        for part in _SPLIT.split(word.group()):
            if part:
                yield position, position + len(part), bool(_CJK_RUN.fullmatch(part)), part
                position += len(part)


def _runs(folded: str):
    for _start, _end, is_cjk, run in _runs_with_spans(folded):
        yield is_cjk, run


def document_tokens(text: str) -> str:
    """The token string stored in the index for a title or a body."""
    tokens = []
    for is_cjk, run in _runs(fold(text)):
        if is_cjk:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
            tokens.extend(run)
        else:
            tokens.append(stem(run))
    return " ".join(tokens)


@dataclass(frozen=True)
class Term:
    """One thing every result must contain: a word stem, a single character, or a run of characters.

    `tokens` is what the index is asked for: one token, or for a CJK run of two or more characters its
    bigrams, which must stand next to each other (a phrase).
    """

    text: str  # as folded from the query, for highlighting
    tokens: tuple[str, ...]
    cjk: bool

    @property
    def is_phrase(self):
        return len(self.tokens) > 1


# A search box is for a few words. Longer input is cut here, before any work is done with it.
MAX_QUERY_CHARS = 100
MAX_TERMS = 12


def clean_query(raw) -> str:
    """What a visitor typed, made safe to show and to work with: text only, no control characters,
    single spaces, at most MAX_QUERY_CHARS characters."""
    if not isinstance(raw, str):
        return ""
    text = "".join(" " if unicodedata.category(char)[0] in "CZ" else char for char in raw[: MAX_QUERY_CHARS * 4])
    return " ".join(text.split())[:MAX_QUERY_CHARS]


# People type questions: 社保卡怎么取钱. The question words say nothing about the subject, and a page
# rarely holds the whole question word for word, so they split a run into the words around them
# (社保卡 + 取钱). Only words that are never part of another word; particles only at the end.
_QUESTION_WORDS = re.compile(
    "怎么办|怎么样|怎么|怎样|如何|为什么|为何|什么|是不是|能不能|可不可以|可以吗|哪里|哪儿|是否"
)
_END_PARTICLES = re.compile("[吗呢吧啊呀]+$")


def _question_free(run: str) -> list[str]:
    parts = [_END_PARTICLES.sub("", part) for part in _QUESTION_WORDS.split(run)]
    return [part for part in parts if part] or [run]


def query_terms(query: str) -> list[Term]:
    """The terms of a cleaned query, each once, in the order typed."""
    terms, seen = [], set()
    for is_cjk, run in _runs(fold(query)):
        if is_cjk:
            candidates = [
                Term(text=part, tokens=tuple(part[i : i + 2] for i in range(len(part) - 1)) or (part,), cjk=True)
                for part in _question_free(run)
            ]
        else:
            candidates = [Term(text=run, tokens=(stem(run),), cjk=False)]
        for term in candidates:
            if term.tokens not in seen:
                seen.add(term.tokens)
                terms.append(term)
    meaningful = [term for term in terms if term.cjk or term.text not in ENGLISH_STOPWORDS]
    return (meaningful or terms)[:MAX_TERMS]
