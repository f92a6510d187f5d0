"""Search benchmark: the index against a plain `icontains` scan, on 20,000 generated FAQ articles.

    .venv/bin/python bench/search.py                     # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/socsec_search .venv/bin/python bench/search.py

It never touches the database in DATABASE_URL: on SQLite it works in a new temporary file, on
PostgreSQL in a new database next to the one named (dropped at the end). It generates the articles in
both languages with a fixed seed (realistic lengths, a vocabulary with a long tail, each article about
a few topics), rebuilds the search index, then runs the same 1-, 2- and 4-character Chinese queries
and English queries through

- index: the search index as the search page uses it (match count + first page of 10 ranked results
  with their text; for a query of several words, the first 30, re-ranked by the questions their pages
  answer; for the "some words" group, which few pages hold all together, also the word weights and
  the pages with some of the words), and
- scan:  `title/short answer/body icontains` over the articles (count + first 10 rows),

and prints p50/p95 per method and query group, the ratio, and the recall of the index against the
scan (the share of the articles the scan finds that the index finds too). Then a PASS or MISS line per
target, and exits 1 on a miss: index p95 <= 20 ms over all queries; the index >= 10x faster than the
scan (p95 over all queries); Chinese recall equal to the scan's (1.000 for every Chinese query).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Keep this folder off the import path: its http.py would shadow the standard library's `http` package.
sys.path[:] = [path for path in sys.path if Path(path or os.curdir).resolve() != REPO / "bench"]
sys.path.insert(0, str(REPO))


TARGET_INDEX_P95_MS = 20.0
TARGET_SPEEDUP = 10


def words(text):
    return text.split()


QUERIES = {
    "zh 1 char": ["卡", "钱", "存", "补", "医"],
    "zh 2 chars": ["激活", "余额", "挂失", "密码", "养老", "银行"],
    "zh 4 chars": ["金融账户", "养老保险", "医疗保险", "身份证件", "服务银行"],
    "en": ["card", "activation", "activated", "balance", "lost card", "pension money", "withdraw", "password"],
    # Several words that few or no pages hold all together: the pages with some of them, by weight.
    "some words": [
        "社保卡 激活 鸸鹋",
        "金融账户 余额 犰狳",
        "养老金 挂失 密码 鸸鹋",
        "lost card zebrafinch",
        "withdraw pension quokka",
    ],
}
# Groups whose queries the scan cannot answer the same way (it looks for the whole text): no recall.
NO_RECALL = {"some words"}

# The subject's own words, which articles are about; several hold the queries above.
ZH_TOPIC_WORDS = words("""
社保卡 社会保障卡 金融账户 社保账户 个人账户 激活 启用 余额 存钱 取钱 转账 到账 挂失 补卡 换卡 密码
重置 冻结 封存 注销 有效期 电子社保卡 实体卡 第三代 芯片 医保 医疗保险 养老保险 养老金 失业保险 工伤保险 生育保险
身份证件 户口本 服务银行 银行网点 柜台 医院 药店 定点 报销 结算 缴费 退休 领取 继承 遗属 待遇 异地 跨省 经办机构
人社局 社保局 热线 咨询 查询 手机银行 小程序 代办 委托书 监护人 工资 利息 资金 专款专用 条例 依法 权益""")
# Common characters, from which the long tail of other words is made.
ZH_COMMON = (
    "的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能"
    "好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进"
    "把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使"
    "教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件"
    "安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望"
)
EN_TOPIC_WORDS = words("""
card cards account accounts financial social security bank branch activate activated activation
activating balance balances money deposit deposited withdraw withdrawal withdrawn cash pension pensions medical
insurance hospital pharmacy designated service lost loss report reported replace replacement electronic physical
password passwords reset locked frozen sealed cancelled expired valid identity documents apply application procedure
office local province regulation rights benefits family retirement retired inherit inheritance contribution employer
hotline status transfer transferred returned chip fraud fees interest fund earmarked""")
EN_COMMON = words("""the a an of to and in is it that for on with as you your be can are this not or by at from have has
will may must should if when then before after do does did what which who how where why there their they them we
our us he she his her one two three first second new old more most some any all each other such only also just
than so very about into over under again still even same time day days week month year people person way thing
place work make made get got take go goes went come came see know think want need use used find give tell ask
call keep let put say said show try leave feel seem help turn start run move live believe hold bring happen write
provide sit stand lose pay meet include continue set learn change lead understand watch follow stop create speak
read allow add spend grow open walk offer remember consider appear buy wait serve send expect build stay fall cut
reach remain suggest raise pass sell require decide return explain hope develop carry break receive agree support
""")


def vocabulary(rng, topic_words, common, pseudo_count, make_pseudo):
    """Common words first (Zipf's head), then a long tail of made-up words, topic words spread through."""
    tail = sorted({make_pseudo(rng) for _ in range(pseudo_count)} - set(common) - set(topic_words))
    rng.shuffle(tail)
    words = list(common) + tail
    for index, word in enumerate(topic_words):
        words.insert(min(len(words), 30 + index * 25 + rng.randint(0, 20)), word)
    cumulative, total = [], 0.0
    for rank in range(len(words)):
        total += 1.0 / (rank + 1) ** 1.05
        cumulative.append(total)
    return words, cumulative


class Writer:
    """Text of a target length in one language: words drawn from the vocabulary, with a handful of
    topic words per article drawn far more often (an article is about something)."""

    def __init__(self, rng, words, cumulative, topic_words, joiner, sentence_end):
        self.rng, self.words, self.cumulative = rng, words, cumulative
        self.topic_words, self.joiner, self.end = topic_words, joiner, sentence_end

    def draw(self, count, topics):
        picks = self.rng.choices(self.words, cum_weights=self.cumulative, k=count)
        for index in range(count):
            if self.rng.random() < 0.08:
                picks[index] = self.rng.choice(topics)
        return picks

    def text(self, length, topics, chinese):
        sentences, size = [], 0
        while size < length:
            words = self.draw(self.rng.randint(4, 14), topics)
            sentence = self.joiner.join(words)
            if chinese and len(sentence) > 10 and self.rng.random() < 0.5:
                cut = self.rng.randint(4, len(sentence) - 4)
                sentence = sentence[:cut] + "，" + sentence[cut:]
            if not chinese:
                sentence = sentence[0].upper() + sentence[1:]
            sentences.append(sentence + self.end)
            size += len(sentence) if chinese else len(words)
        return (" " if not chinese else "").join(sentences)


def generate_articles(count, seed):
    """[(zh: (title, short, body), en: (title, short, body))] for `count` articles."""
    rng = random.Random(seed)
    zh_words, zh_cumulative = vocabulary(
        rng, ZH_TOPIC_WORDS, list(ZH_COMMON), 8000, lambda r: "".join(r.choices(ZH_COMMON, k=r.choice((1, 2, 2, 3))))
    )
    syllables = ["ka", "ro", "ten", "mi", "sel", "dor", "an", "vi", "ple", "tur", "gen", "ous", "ing", "ment", "ly"]
    en_words, en_cumulative = vocabulary(
        rng, EN_TOPIC_WORDS, EN_COMMON, 8000, lambda r: "".join(r.choices(syllables, k=r.randint(2, 4)))
    )
    zh = Writer(rng, zh_words, zh_cumulative, ZH_TOPIC_WORDS, "", "。")
    en = Writer(rng, en_words, en_cumulative, EN_TOPIC_WORDS, " ", ".")
    articles = []
    for _ in range(count):
        topics_zh = rng.sample(ZH_TOPIC_WORDS, 4)
        topics_en = rng.sample(EN_TOPIC_WORDS, 4)
        articles.append(
            (
                (
                    zh.text(rng.randint(8, 26), topics_zh, True)[:60],
                    zh.text(rng.randint(40, 120), topics_zh, True),
                    "\n\n".join(zh.text(rng.randint(60, 260), topics_zh, True) for _ in range(rng.randint(2, 4))),
                ),
                (
                    en.text(rng.randint(6, 14), topics_en, False)[:190],
                    en.text(rng.randint(20, 50), topics_en, False),
                    "\n\n".join(en.text(rng.randint(30, 120), topics_en, False) for _ in range(rng.randint(2, 4))),
                ),
            )
        )
    return articles


def as_html(markdown_text):
    # Articles are written straight into the table (no save(), so no Markdown rendering): their
    # rendered body is what render_markdown gives for plain paragraphs.
    return "".join(f"<p>{escape(paragraph)}</p>\n" for paragraph in markdown_text.split("\n\n"))


def throwaway_database():
    """(DATABASE_URL for a new empty database, cleanup function)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base = url.rsplit("/", 1)[0]
        name = f"socsec_bench_search_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return f"{base}/{name}", drop
    folder = Path(tempfile.mkdtemp(prefix="socsec-bench-search-"))

    def remove():
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()

    return f"sqlite:///{folder / 'bench.sqlite3'}", remove


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def timed(function, runs):
    function()  # warm the caches, as a busy site would have them
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per query and method")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database and print where it is")
    args = parser.parse_args()

    url, cleanup = throwaway_database()
    if args.keep:
        print(f"keeping the database: {url}")
        cleanup = lambda: None  # noqa: E731
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socsec.settings")
    import django

    django.setup()
    try:
        return run(args)
    finally:
        cleanup()


def run(args):
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q
    from django.utils import timezone

    from inquiry.core.shipped import ContentLoader
    from inquiry.faq.models import Article, Topic
    from inquiry.search.backends import index_for
    from inquiry.search.content_loader import load as load_search_content
    from inquiry.search.models import Document
    from inquiry.search.selectors import PER_PAGE, find, search, thesaurus
    from inquiry.search.services import rebuild_index
    from inquiry.search.text import query_terms

    call_command("migrate", verbosity=0)
    # The shipped synonym table (and editors' picks), which every search applies.
    load_search_content(ContentLoader(verbosity=0))
    vendor = connection.vendor
    if vendor == "sqlite":
        import sqlite3

        version = sqlite3.sqlite_version
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    print(f"database: {vendor} {version}; {os.cpu_count()} CPUs; seed {args.seed}")

    started = time.perf_counter()
    generated = generate_articles(args.articles, args.seed)
    topic = Topic.objects.create(slug="bench", title_zh_hans="测试", title_en="Bench")
    published = timezone.now() - datetime.timedelta(days=1)
    Article.objects.bulk_create(
        (
            Article(
                slug=f"bench-{index}",
                topic=topic,
                title_zh_hans=zh[0],
                short_answer_zh_hans=zh[1],
                body_zh_hans=zh[2],
                body_html_zh_hans=as_html(zh[2]),
                title_en=en[0],
                short_answer_en=en[1],
                body_en=en[2],
                body_html_en=as_html(en[2]),
                status=Article.Status.PUBLISHED,
                published_at=published,
            )
            for index, (zh, en) in enumerate(generated)
        ),
        batch_size=500,
    )
    zh_chars = statistics.mean(len(zh[0]) + len(zh[1]) + len(zh[2]) for zh, _en in generated)
    en_words = statistics.mean(len(" ".join(en).split()) for _zh, en in generated)
    print(
        f"generated {args.articles} articles in {time.perf_counter() - started:.1f} s "
        f"(mean length: {zh_chars:.0f} Chinese characters, {en_words:.0f} English words)"
    )
    del generated

    started = time.perf_counter()
    counts = rebuild_index()
    print(f"rebuild_search_index: {sum(counts.values())} documents in {time.perf_counter() - started:.1f} s")
    if vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            print(f"database file: {pages * cursor.fetchone()[0] / 1e6:.0f} MB")

    index = index_for(connection)
    fields = {
        "zh-hans": ("title_zh_hans", "short_answer_zh_hans", "body_zh_hans"),
        "en": ("title_en", "short_answer_en", "body_en"),
    }

    def scan_filter(query, language):
        condition = Q()
        for name in fields[language]:
            condition |= Q(**{f"{name}__icontains": query})
        return Article.objects.filter(condition)

    def scan(query, language):
        matches = scan_filter(query, language)
        return matches.count(), list(matches.order_by("id").only("id", *fields[language])[:PER_PAGE])

    def terms(query, language):
        # As the search page reads them: cut into words, each with its synonyms.
        return query_terms(query, thesaurus(language))

    def indexed(query, language):
        # What the search page asks the index: the pages with every word, and when at most two have
        # them all, the document frequencies and the pages with some of them; for several words, the
        # first three pages together, re-ranked by the questions their pages answer.
        return find(terms(query, language), language=language, now=timezone.now(), query=query)

    def index_ids(query, language, total):
        page = index.search(language=language, terms=terms(query, language), now=timezone.now(), offset=0, limit=total)
        return {hit.object_id for hit in page.hits}

    rows, samples = [], {}
    for group, queries in QUERIES.items():
        for query in queries:
            language = "en" if query.isascii() else "zh-hans"
            index_ms = timed(lambda q=query, lang=language: indexed(q, lang), args.runs)
            page_ms = timed(lambda q=query, lang=language: search(query=q, language=lang), args.runs)
            scan_ms = timed(lambda q=query, lang=language: scan(q, lang), args.runs)
            total = indexed(query, language).total
            if group in NO_RECALL:
                found, expected, recall = set(), set(), 1.0
            else:
                found = index_ids(query, language, max(total, 1))
                expected = set(scan_filter(query, language).values_list("id", flat=True))
                recall = len(found & expected) / len(expected) if expected else 1.0
            samples.setdefault(group, {"index": [], "page": [], "scan": [], "recall": []})
            for name, values in (("index", index_ms), ("page", page_ms), ("scan", scan_ms)):
                samples[group][name].extend(values)
            samples[group]["recall"].append(recall)
            rows.append((group, query, total, len(expected), len(found - expected), index_ms, page_ms, scan_ms, recall))

    print()
    print(
        f"{'query':<16}{'index hits':>11}{'scan hits':>10}{'index only':>11}"
        f"{'index p50':>10}{'search()':>10}{'scan p50':>10}{'ratio':>8}{'recall':>8}"
    )
    for _group, query, total, expected, extra, index_ms, page_ms, scan_ms, recall in rows:
        ratio = statistics.median(scan_ms) / statistics.median(index_ms)
        print(
            f"{query:<16}{total:>11}{expected:>10}{extra:>11}{statistics.median(index_ms):>9.1f} "
            f"{statistics.median(page_ms):>9.1f} {statistics.median(scan_ms):>9.1f}{ratio:>7.0f}x{recall:>8.3f}"
        )

    print()
    print(
        f"{'group':<12}{'index p50':>10}{'index p95':>10}{'search() p95':>13}{'scan p50':>10}{'scan p95':>10}"
        f"{'p95 ratio':>10}{'recall':>8}"
    )
    every = {"index": [], "page": [], "scan": []}
    for group, values in samples.items():
        for name in every:
            every[name].extend(values[name])
        print(
            f"{group:<12}{percentile(values['index'], 0.5):>9.1f} {percentile(values['index'], 0.95):>9.1f} "
            f"{percentile(values['page'], 0.95):>12.1f} {percentile(values['scan'], 0.5):>9.1f} "
            f"{percentile(values['scan'], 0.95):>9.1f}"
            f"{percentile(values['scan'], 0.95) / percentile(values['index'], 0.95):>9.0f}x"
            f"{min(values['recall']):>8.3f}"
        )
    print(
        f"{'all':<12}{percentile(every['index'], 0.5):>9.1f} {percentile(every['index'], 0.95):>9.1f} "
        f"{percentile(every['page'], 0.95):>12.1f} {percentile(every['scan'], 0.5):>9.1f} "
        f"{percentile(every['scan'], 0.95):>9.1f}"
        f"{percentile(every['scan'], 0.95) / percentile(every['index'], 0.95):>9.0f}x"
    )
    print()
    print(
        "times in ms. index: count + first 10 ranked results with their text; search(): the same through\n"
        "the search page's selector (editors' picks, highlighted snippets); scan: icontains count + first 10.\n"
        "recall: the share of the scan's articles the index finds too (lowest in the group); index only:\n"
        "articles the index finds that the scan does not (English word forms, synonyms).\n"
        f"Documents: {Document.objects.count()}."
    )

    index_p95 = percentile(every["index"], 0.95)
    speedup = percentile(every["scan"], 0.95) / index_p95
    zh_recall = min(
        recall for group, values in samples.items() if group.startswith("zh") for recall in values["recall"]
    )
    verdicts = [
        (
            index_p95 <= TARGET_INDEX_P95_MS,
            f"index p95 {index_p95:.1f} ms over all queries (<= {TARGET_INDEX_P95_MS:.0f})",
        ),
        (
            speedup >= TARGET_SPEEDUP,
            f"index {speedup:.0f}x faster than the scan, p95 over all queries (>= {TARGET_SPEEDUP}x)",
        ),
        (zh_recall >= 1.0, f"Chinese recall {zh_recall:.3f}, lowest over the Chinese queries (= the scan's, 1.000)"),
    ]
    print("\nTargets:")
    for ok, text in verdicts:
        print(f"  {'PASS' if ok else 'MISS'}  {text}")
    met = sum(ok for ok, _ in verdicts)
    print(f"\n{met} of {len(verdicts)} targets met")
    return 0 if met == len(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
