"""Relevance benchmark: do real questions find the page that answers them in the top 3 results?

    .venv/bin/python bench/relevance.py            # the share answered per part, and every miss
    .venv/bin/python bench/relevance.py --verbose  # also the top 3 of every question

Loads the shipped content (and the law texts, when ../shared/content holds them) into a throwaway
SQLite database, exactly as `make run` does, then runs each question through the site's own search
(synonyms, ranking, editors' picks, spelling suggestions) and checks whether one of its answers is
among the first three results. Three parts, reported separately:

- `shown`: `relevance_questions.yaml`, the questions earlier rounds were built and tuned against;
- `tuning`: two thirds of the question inventory (`inventory/tuning.yaml`), for writing and tuning;
- `held-out`: the other third (`inventory/heldout.yaml`), split off before any answer was written
  and never tuned against: the figure a stranger would get.

A question whose `answers` list is empty has no page that answers it: a miss. Prints each part's
share and misses, and exits 1 when `held-out` is below 85% or another part below 90%.
"""

import argparse
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
# Keep this folder off the import path: its http.py would shadow the standard library's `http` package.
sys.path[:] = [path for path in sys.path if Path(path or os.curdir).resolve() != REPO / "bench"]
sys.path.insert(0, str(REPO))

QUESTIONS = Path(__file__).with_name("relevance_questions.yaml")
INVENTORY = Path(__file__).with_name("inventory")
PARTS = {  # name → (file or files, target share in the top 3)
    "shown": (QUESTIONS, 0.90),
    "tuning": (INVENTORY / "tuning.yaml", 0.90),
    "held-out": (INVENTORY / "heldout.yaml", 0.85),
    # A later round of questions (inventory/round2/<name>-questions.yaml, split by split.py the same way).
    "round2-tuning": (sorted((INVENTORY / "round2").glob("*-tuning.yaml")), 0.90),
    "round2-held-out": (sorted((INVENTORY / "round2").glob("*-heldout.yaml")), 0.85),
}
TOP = 3
TARGET = PARTS["shown"][1]  # the shown questions, asserted by tests/search/test_relevance.py


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print the top results of every question")
    parser.add_argument("--questions", type=Path, help="only this file of questions (target 90%%)")
    parser.add_argument("--part", choices=sorted(PARTS), action="append", help="only these parts")
    parser.add_argument("--query", nargs=2, metavar=("LANG", "WORDS"), help="only show the top 10 for one search")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="socsec-bench-relevance-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'relevance.sqlite3'}"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socsec.settings")
    import django

    django.setup()
    try:
        return run(args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def page_names():
    """{url: "faq:<slug>" or "guide:<flow>/<outcome>"} for every indexed page."""
    from inquiry.faq.models import Article
    from inquiry.guide.models import Outcome
    from inquiry.search.models import Document

    articles = dict(Article.objects.values_list("pk", "slug"))
    outcomes = {pk: f"{flow}/{slug}" for pk, flow, slug in Outcome.objects.values_list("pk", "flow__slug", "slug")}
    names = {}
    for url, kind, object_id in Document.objects.values_list("url", "kind", "object_id"):
        if kind == "faq":
            names[url] = f"faq:{articles[object_id]}"
        elif kind == "guide":
            names[url] = f"guide:{outcomes[object_id]}"
        else:
            names[url] = f"{kind}:{object_id}"
    return names


@dataclass
class Outcome:
    item: dict
    top: list
    hit: bool
    answer_exists: bool


def load_questions(path=QUESTIONS):
    """The questions of one file, or of several (a part made of several files)."""
    if isinstance(path, list):
        return [item for one in path for item in load_questions(one)]
    return yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]


def _present(path):
    return all(one.exists() for one in path) and bool(path) if isinstance(path, list) else path.exists()


def evaluate(questions, names):
    """Each question through the site's search: its top results by name, and whether one answers it."""
    from inquiry.search.selectors import search

    existing = set(names.values())
    outcomes = []
    for item in questions:
        top = [names.get(result.url, result.url) for result in search(query=item["q"], language=item["lang"]).results]
        top = top[:TOP]
        targets = set(item["answers"])
        outcomes.append(Outcome(item, top, bool(targets & set(top)), bool(targets & existing)))
    return outcomes


def run(args):
    from django.core.management import call_command
    from django.test.utils import override_settings

    from inquiry.search.selectors import search
    from tests.support.paths import law_files

    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)
    for path in law_files():
        call_command("import_law", str(path), verbosity=0)
    names = page_names()
    if args.query:
        from inquiry.search.selectors import thesaurus
        from inquiry.search.text import query_terms

        language, words = args.query
        print([(term.text, [s.text for s in term.synonyms]) for term in query_terms(words, thesaurus(language))])
        results = search(query=words, language=language)
        print(f"{results.total} results{' (relaxed)' if results.relaxed else ''}")
        for result in results.results:
            print(f"  {names.get(result.url, result.url)}  {result.title}")
        return 0

    if args.questions:
        parts = {args.questions.stem: (args.questions, 0.90)}
    else:
        parts = {name: PARTS[name] for name in (args.part or PARTS) if _present(PARTS[name][0])}
    failed = False
    for name, (path, target) in parts.items():
        questions = load_questions(path)
        with override_settings(SOCSEC_PAGE_CACHE=False):
            outcomes = evaluate(questions, names)
        failed |= not report(name, outcomes, target, verbose=args.verbose)
    return 1 if failed else 0


def report(name, outcomes, target, *, verbose=False):
    """Print one part's figures and misses; whether it met its target."""
    answered = sum(outcome.hit for outcome in outcomes)
    answerable = [outcome for outcome in outcomes if outcome.answer_exists]
    total = len(outcomes)
    share = answered / total if total else 0.0
    print(f"== {name}: answered in the top {TOP}: {answered}/{total} = {share:.1%}")
    if len(answerable) != total:
        hits = sum(outcome.hit for outcome in answerable)
        print(
            f"   {hits}/{len(answerable)} of the questions whose answer exists in this content; "
            f"{total - len(answerable)} have no page that answers them"
        )
    for outcome in outcomes:
        item = outcome.item
        if verbose or not outcome.hit:
            status = "ok  " if outcome.hit else "MISS"
            wanted = " or ".join(item["answers"]) or "(no page answers it)"
            label = f"{item.get('id', '')} [{item['lang']}] {item['q']}".strip()
            print(f"   {status} {label}: wanted {wanted}; got {', '.join(outcome.top) or 'nothing'}")
    met = share >= target
    print(f"   {'PASS' if met else 'MISS'}: target {target:.0%}")
    return met


if __name__ == "__main__":
    sys.exit(main())
