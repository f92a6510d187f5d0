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
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from .segment import segmenter

# Han ideographs (with extensions and compatibility forms), kana and Hangul: scripts written without
# spaces between words.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ebef\U00030000-\U0003134f"
_WORD = re.compile(r"[^\W_]+")
_SPLIT = re.compile(f"([{CJK}]+)")
_CJK_RUN = re.compile(f"[{CJK}]+")
_LATIN_WORD = re.compile(r"[a-z]+")


def _traditional_to_simplified():
    """Traditional characters folded to simplified ones, from OpenCC's character table
    (TSCharacters.txt of opencc-python-reimplemented: about 4,000 characters, the first simplified
    form of each), so a visitor who types 帳戶 or 醫療保險 finds the same pages. Character by character
    (OpenCC's phrase table is left out): a one-to-one table keeps every character in place, which the
    highlighter relies on. A few of the site's own choices are laid over it (`SITE_FOLDS`)."""
    from importlib.resources import files

    table = {}
    lines = files("opencc").joinpath("dictionary", "TSCharacters.txt").read_text(encoding="utf-8")
    for line in lines.splitlines():
        traditional, _tab, simplified = line.partition("\t")
        simplified = simplified.split(" ")[0]
        if len(traditional) == 1 and len(simplified) == 1 and traditional != simplified:
            table[traditional] = simplified
    return table | SITE_FOLDS


# OpenCC makes 帳 帐 (its simplified form), but the pages write 账户: both are folded to 账.
SITE_FOLDS = {"帳": "账", "帐": "账"}
TRADITIONAL_TO_SIMPLIFIED = _traditional_to_simplified()

# Words too common to narrow an English search ("how do I activate my card" searches activate + card).
# Dropped from queries only, and only when something else is left; the index keeps every word. China
# too: every page is about China, but the pages for foreigners name it most, so "Does China have
# unemployment benefits?" found them first.
ENGLISH_STOPWORDS = frozenset(
    str.split(
        """a an and are as at be been but by can could do does did for from had has have how i if in into is it
    its me my no not of on or our s so than that the their them then there these they this to too was we
    were what when where which who why will with would you your get got need use used want please should
    must still any some also just now ok am m
    china chinese mainland"""
    )
)

# A Snowball stemmer keeps the word it is working on in itself: one per thread, or two requests stemming
# at once in a threaded server corrupt each other's word (IndexError inside the stemmer, a 500).
_stemmers = threading.local()

# Word forms the Snowball stemmer leaves apart (irregular verbs, and stems it cuts differently), for
# the words of this subject: each stem on the left is read as the one on the right.
SAME_STEM = {
    "withdrawn": "withdraw",
    "withdrew": "withdraw",
    "paid": "pay",
    "payment": "pay",
    "lost": "lose",
    "loss": "lose",
    "stolen": "steal",
    "stole": "steal",
    "applic": "appli",  # application, applicant / apply, applied
    "beneficiari": "benefit",
    "retire": "retir",  # retiree / retire, retired, retirement
    "children": "child",
}


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """English words to their stem; numbers and words in other scripts as they are."""
    if _LATIN_WORD.fullmatch(word):
        stemmer = getattr(_stemmers, "english", None)
        if stemmer is None:
            stemmer = _stemmers.english = snowballstemmer.stemmer("english")
        stemmed = stemmer.stemWord(word)
        return SAME_STEM.get(stemmed, stemmed)
    return word


_TRADITIONAL_TABLE = str.maketrans(TRADITIONAL_TO_SIMPLIFIED)


@lru_cache(maxsize=65_536)
def _fold_char(char: str) -> str:
    # Kept per character: Chinese text with full-width punctuation (，？) is not NFKC-normal, so
    # folding a result's text for highlighting goes character by character (30 ms a search page
    # at 20,000 articles before this; a dictionary lookup per character after).
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
    pieces = [_fold_char(char) for char in text]
    folded = "".join(pieces)
    if len(folded) == len(text):  # each character folded to one (full-width punctuation: ，→ ,)
        return folded, None
    return folded, [index for index, piece in enumerate(pieces) for _char in piece]


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
    bigrams, which must stand next to each other (a phrase). `synonyms` are other words that will do
    instead (from the editors' synonym table): the term matches a page holding any one of them.
    """

    text: str  # as folded from the query, for highlighting
    tokens: tuple[str, ...]
    cjk: bool
    synonyms: tuple["Term", ...] = ()

    @property
    def phrasings(self):
        """The term itself and each synonym, as plain terms (what a page may hold instead)."""
        return (Term(self.text, self.tokens, self.cjk), *self.synonyms) if self.synonyms else (self,)


def _cjk_term(text):
    return Term(text=text, tokens=tuple(text[i : i + 2] for i in range(len(text) - 1)) or (text,), cjk=True)


def _word_term(word):
    return Term(text=word, tokens=(stem(word),), cjk=False)


def phrase_term(text):
    """A word or phrase of the synonym table as a term: a CJK run, or English words in this order
    (stems that must stand next to each other); None when it has no word characters."""
    runs = list(_runs(fold(text)))
    if not runs:
        return None
    if len(runs) == 1:
        is_cjk, run = runs[0]
        return _cjk_term(run) if is_cjk else _word_term(run)
    tokens = []
    for is_cjk, run in runs:
        tokens.extend(_cjk_term(run).tokens if is_cjk else (stem(run),))
    return Term(text=" ".join(run for _is_cjk, run in runs), tokens=tuple(tokens), cjk=all(c for c, _r in runs))


# Words of this site's subject, added to jieba's dictionary (with the synonym table's words) so that a
# question typed without spaces is cut into them and each word must be on the page (anywhere), rather
# than the whole question word for word: 查缴费记录 → 查 + 缴费 + 记录. Longer compounds are listed
# too, so that they stay whole (金融账户, 养老保险).
CJK_LEXICON = frozenset(
    str.split(
        """社保卡 社会保障卡 医保卡 社保 医保 社会保险 金融 账户 金融账户 银行账户 个人账户 银行 银行卡 服务银行
    网点 柜台 激活 启用 开通 余额 存钱 取钱 转账 到账 挂失 补卡 换卡 补办 密码 重置 冻结 封存 注销 有效期
    电子社保卡 电子 实体卡 第三代 第二代 三代卡 二代卡 芯片 医疗 医疗保险 养老 养老保险 养老金 退休金 失业
    失业保险 失业金 工伤 生育 身份证 身份证件 户口本 医院 药店 定点 报销 结算 缴费 记录 退休 领取 继承
    遗属 待遇 异地 外地 外省 跨省 经办机构 人社局 社保局 热线 咨询 查询 手机 小程序 代办 委托书 监护人
    工资 利息 资金 家庭共济 家人 孩子 新生儿 老人 外国人 公交 地铁 交通 乘车 补贴 惠民惠农 发放 申请
    办理 功能 状态 临时 正式 找到 丢失 损坏 坏了 过期 到期 转移 关系 备案 就医 看病 买药 死亡 去世 丧葬
    抚恤 投诉 举报 单位 城市 省份 多张 两张 几张 好几张 现金 取现 提现 卡号 修改 忘记 锁定 解锁 邮寄
    网上 线上 多久 时间 区别 必须 更换 使用 一卡通 视同缴费 年限 十五年 备用金 年费 手续费 管理费 工本费 盗刷"""
    )
)

# Words that carry no subject, dropped when a question is cut into words (我的社保卡丢了吗 → 社保卡 +
# 丢了): pronouns, particles, conjunctions, modal verbs. Never dropped from inside a word of the
# lexicon or the synonym table, which are matched first. 操作 (怎么操作, "how do I do it"), 办理 (怎么办理,
# "how do I get it done": the pages write 申请, 领, 开通 …), 最新, 具体 and 中国 (every page is about China)
# say nothing about which page answers. (办理: 2 more shown and tuning questions in the top 3, none fewer.)
CJK_STOPWORDS = frozenset(
    str.split(
        """了 的 地 得 吗 呢 吧 啊 呀 嘛 我 你 您 他 她 它 我们 你们 他们 自己 是 在 还 就 都 也 又 很 请 把 被
    给 要 想 能 会 该 但是 但 可是 没有 没 和 与 跟 或者 或 如果 这 那 这个 那个 这张 那张 一下 可以 需要
    应该 还是 已经 就是 有 里 里面 啥 咋 么 吗 了吗 一个 一张 现在 之后 以后 时候 能用 可以用 还能用
    用来 用于 操作 中国 国内 我国 全国 办理 最新 具体"""
    )
)


# Alternatives kept per term: enough for any sensible group, and a bound on the size of the match.
MAX_SYNONYMS = 12


class Thesaurus:
    """The editors' synonym groups, ready for queries: which words a query may hold, and what else
    each of them may be found as. Built once per content generation (see `selectors.thesaurus`)."""

    def __init__(self, groups=()):
        # groups: iterables of words and phrases, in either language, that mean the same for search.
        self._alternatives = {}  # tokens of a word → the group's other terms
        self._cjk_words = set()  # the CJK words, to find them inside a run typed without spaces
        self._english = {}  # first stem → [stems of English words and phrases starting with it]
        for group in groups:
            terms = list({term.tokens: term for term in map(phrase_term, group) if term is not None}.values())
            if len(terms) < 2:
                continue
            for term in terms:
                others = tuple(other for other in terms if other.tokens != term.tokens)
                known = self._alternatives.get(term.tokens, ())
                self._alternatives[term.tokens] = tuple(dict.fromkeys(known + others))[:MAX_SYNONYMS]
                if term.cjk and " " not in term.text:
                    self._cjk_words.add(term.text)
                elif not term.cjk:
                    self._english.setdefault(term.tokens[0], []).append(term.tokens)
        for phrases in self._english.values():
            phrases.sort(key=len, reverse=True)
        self._known = frozenset(self._cjk_words | CJK_LEXICON)

    def __bool__(self):
        return bool(self._alternatives)

    def expand(self, term):
        synonyms = self._alternatives.get(term.tokens)
        return Term(term.text, term.tokens, term.cjk, synonyms) if synonyms else term

    def split_cjk(self, run):
        """A CJK run cut into words by jieba (its dictionary, with the subject's words and the synonym
        table's added), with the words that carry no subject left out: 社保卡丢了吗 → 社保卡, 丢."""
        if len(run) < 2:
            return [] if run in CJK_STOPWORDS else [run]
        return [word for word in segmenter().cut(run, self._known) if word not in CJK_STOPWORDS]

    def english_phrase(self, stems, start):
        """How many words from `start` form a phrase of the table (0: none)."""
        for phrase in self._english.get(stems[start], ()):
            if tuple(stems[start : start + len(phrase)]) == phrase:
                return len(phrase)
        return 0


NO_SYNONYMS = Thesaurus()

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
    "怎么回事|怎么办(?!理)|怎么样|怎么|怎样|如何|为什么|为何|什么|是不是|能不能|可不可以|可以吗|哪里|哪儿|是否"
)
_END_PARTICLES = re.compile("[吗呢吧啊呀]+$")


def _question_free(run: str) -> list[str]:
    # A run that is only a question (怎么办呢, after a comma) gives no words: query_terms falls back to
    # what was typed when the whole query is like that.
    parts = [_END_PARTICLES.sub("", part) for part in _QUESTION_WORDS.split(run)]
    return [part for part in parts if part]


def _cjk_pieces(run: str, thesaurus) -> list[str]:
    """The words of a CJK run to look for: question words and words without a subject left out."""
    return [piece for part in _question_free(run) for piece in thesaurus.split_cjk(part)]


def query_terms(query: str, thesaurus: Thesaurus = NO_SYNONYMS) -> list[Term]:
    """The terms of a cleaned query, each once, in the order typed, each with its synonyms."""
    terms, seen = [], set()
    runs = list(_runs(fold(query)))
    index = 0
    while index < len(runs):
        is_cjk, run = runs[index]
        if is_cjk:
            candidates = [_cjk_term(piece) for piece in _cjk_pieces(run, thesaurus)]
            index += 1
        else:
            # An English phrase of the synonym table ("public transport") is one term.
            words = []
            while index + len(words) < len(runs) and not runs[index + len(words)][0]:
                words.append(runs[index + len(words)][1])
            stems = [stem(word) for word in words]
            candidates, position = [], 0
            while position < len(words):
                size = thesaurus.english_phrase(stems, position) if thesaurus else 0
                if size > 1:
                    text = " ".join(words[position : position + size])
                    candidates.append(Term(text=text, tokens=tuple(stems[position : position + size]), cjk=False))
                    position += size
                else:
                    candidates.append(_word_term(words[position]))
                    position += 1
            index += len(words)
        for term in candidates:
            if term.tokens not in seen:
                seen.add(term.tokens)
                terms.append(thesaurus.expand(term))
    meaningful = [term for term in terms if term.cjk or term.text not in ENGLISH_STOPWORDS]
    if not meaningful and not terms:
        # Nothing but words without a subject (的, 我的): search for what was typed, as it is.
        terms = [_cjk_term(run) if is_cjk else _word_term(run) for is_cjk, run in runs]
        terms = list({term.tokens: term for term in terms}.values())
    return (meaningful or terms)[:MAX_TERMS]
