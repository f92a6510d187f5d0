"""The question inventory by cluster: how many questions, and the pages that answer them.

    .venv/bin/python bench/inventory/clusters.py            # a table: cluster, questions, answering pages
    .venv/bin/python bench/inventory/clusters.py --pages    # also each cluster's pages, by name

Reads questions.yaml (the clusters and every question) and the answers labelled in tuning.yaml and
heldout.yaml; needs no database. A cluster's pages are the pages labelled as answering one of its
questions (faq:<slug>, guide:<flow>/<outcome>); its FAQ articles are those among them.
"""

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def load(name):
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", action="store_true", help="list each cluster's answering pages")
    args = parser.parse_args()
    inventory = load("questions.yaml")
    labelled = {}
    for part in ("tuning.yaml", "heldout.yaml"):
        for item in load(part)["questions"]:
            labelled[item["id"]] = item.get("answers") or []
    questions = Counter(item["cluster"] for item in inventory["questions"])
    languages = defaultdict(Counter)
    pages = defaultdict(set)
    unanswered = Counter()
    for item in inventory["questions"]:
        languages[item["cluster"]][item["lang"]] += 1
        answers = labelled.get(item["id"], [])
        pages[item["cluster"]].update(answers)
        unanswered[item["cluster"]] += not answers
    print(f"{'cluster':<26}{'questions':>10}{'zh/en':>9}{'FAQ':>6}{'guide':>7}{'no page':>9}")
    for cluster in inventory["clusters"]:
        slug = cluster["slug"]
        faq = sorted(page for page in pages[slug] if page.startswith("faq:"))
        guide = sorted(page for page in pages[slug] if page.startswith("guide:"))
        zh_en = f"{languages[slug]['zh-hans']}/{languages[slug]['en']}"
        print(f"{slug:<26}{questions[slug]:>10}{zh_en:>9}{len(faq):>6}{len(guide):>7}{unanswered[slug]:>9}")
        if args.pages:
            for page in faq + guide:
                print(f"    {page}")
    total_faq = {page for answers in pages.values() for page in answers if page.startswith("faq:")}
    print(f"{'all':<26}{sum(questions.values()):>10}{'':>9}{len(total_faq):>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
