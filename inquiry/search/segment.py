"""Cutting a Chinese query into words with jieba (https://github.com/fxsjy/jieba), queries only: the
index keeps its bigrams and unigrams, which match any word a query is cut into.

jieba's own loader reads its 350,000-word dictionary (several seconds and ~60 MB on a busy machine)
and writes a cache file to the temporary folder. A search box needs far less: the words of one to
four characters that jieba has seen at least MIN_FREQUENCY times (about 50,000, plus every single
character, so that its path through a sentence is weighed as before) are read once per process, on
the first Chinese query, in a fraction of a second, with nothing written anywhere. The subject's own
words (`text.CJK_LEXICON`) and the synonym table's are added with a high frequency, so that they are
always kept whole. Thread-safe (gunicorn threads) and per process (pytest-xdist, gunicorn workers).
"""

import math
import threading
from pathlib import Path

MIN_FREQUENCY = 50
LONGEST_WORD = 4
# A character seen less often than this alone is taken as part of a word jieba does not know.
RARE_CHARACTER = 1000
# jieba's part-of-speech tag for a place name (北京, 深圳, 江门, 山东 …).
PLACE_TAG = "ns"
# Frequency given to the site's own words: higher than jieba's for any word they could be part of.
OWN_WORD_FREQUENCY = 1_000_000


def _dictionary_path():
    import jieba

    return Path(jieba.__file__).with_name("dict.txt")


class Segmenter:
    """jieba's tokenizer over a reduced dictionary, with words added as queries bring them."""

    def __init__(self, path=None):
        import jieba

        frequencies, total, places = {}, 0, set()
        with open(path or _dictionary_path(), encoding="utf-8") as lines:
            for line in lines:
                word, frequency, tag = line.split(" ", 2)
                frequency = int(frequency)
                if len(word) == 1 or (len(word) <= LONGEST_WORD and frequency >= MIN_FREQUENCY):
                    frequencies[word] = frequency
                    total += frequency
                    if tag.strip() == PLACE_TAG and len(word) > 1:
                        places.add(word)
        self._places = frozenset(places)
        for word in list(frequencies):
            for end in range(1, len(word)):
                frequencies.setdefault(word[:end], 0)
        self._tokenizer = jieba.Tokenizer()
        # What Tokenizer.initialize() would set, from this dictionary instead of its own file/cache.
        self._tokenizer.FREQ, self._tokenizer.total = frequencies, total
        self._tokenizer.initialized = True
        self._added = set()
        self._lock = threading.Lock()

    def _add(self, words):
        new = [word for word in words if word not in self._added]
        if not new:
            return
        with self._lock:
            tokenizer = self._tokenizer
            for word in new:
                # add_word() would also work out the frequency from the prefixes; this is the same
                # bookkeeping without its logging.
                old = tokenizer.FREQ.get(word, 0)
                tokenizer.FREQ[word] = OWN_WORD_FREQUENCY
                tokenizer.total += OWN_WORD_FREQUENCY - old
                for end in range(1, len(word)):
                    tokenizer.FREQ.setdefault(word[:end], 0)
                self._added.add(word)

    def cut(self, run, words=()):
        """`run` (folded CJK characters) cut into words; `words` are kept whole. Rare characters next
        to each other (a word jieba does not know: 鸸鹋) stay together, as one word."""
        self._add(words)
        pieces, pending = [], ""
        for piece in self._tokenizer.cut(run, HMM=False):
            if len(piece) == 1 and self._tokenizer.FREQ.get(piece, 0) < RARE_CHARACTER:
                pending += piece
                continue
            if pending:
                pieces.append(pending)
                pending = ""
            pieces.append(piece)
        return [*pieces, pending] if pending else pieces

    def is_place(self, word):
        """Whether jieba's dictionary knows `word` as a place name."""
        return word in self._places

    def probability(self, word):
        """log P(word) in jieba's dictionary (for tests and the curious)."""
        return math.log((self._tokenizer.FREQ.get(word) or 1) / self._tokenizer.total)


_segmenter = None
_loading = threading.Lock()


def segmenter() -> Segmenter:
    global _segmenter  # noqa: PLW0603 - one per process, made on first use
    if _segmenter is None:
        with _loading:
            if _segmenter is None:
                _segmenter = Segmenter()
    return _segmenter
