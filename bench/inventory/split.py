"""Split the question inventory into the part answers are written and tuned against, and a held-out third.

    .venv/bin/python bench/inventory/split.py      # writes tuning.yaml and heldout.yaml beside it
    .venv/bin/python bench/inventory/split.py round2/a-questions.yaml   # a later round's inventory:
                                                   # writes round2/a-tuning.yaml and round2/a-heldout.yaml

Run once, before any answer for the inventory was written (issue 19), and committed with its output:
a random third of each cluster (seeded, so the split can be checked) becomes the held-out part that
`bench/relevance.py` reports separately and that nobody tunes content or search against. Running it
again gives the same split; it refuses to overwrite split files whose questions have answers already.
"""

import random
import sys
from collections import defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SEED = 19  # the issue that asked for the split


def split(questions, seed=SEED):
    by_cluster = defaultdict(list)
    for item in questions:
        by_cluster[item["cluster"]].append(item)
    rng = random.Random(seed)
    heldout = set()
    for cluster in sorted(by_cluster):
        items = sorted(by_cluster[cluster], key=lambda item: item["id"])
        rng.shuffle(items)
        heldout.update(item["id"] for item in items[: round(len(items) / 3)])
    return (
        [item for item in questions if item["id"] not in heldout],
        [item for item in questions if item["id"] in heldout],
    )


def parts_for(questions_file):
    """The tuning and held-out files of an inventory: tuning.yaml and heldout.yaml beside questions.yaml,
    <name>-tuning.yaml and <name>-heldout.yaml beside a later round's <name>-questions.yaml."""
    if questions_file.name == "questions.yaml":
        return {name: questions_file.with_name(f"{name}.yaml") for name in ("tuning", "heldout")}
    stem = questions_file.name.removesuffix("questions.yaml")
    return {name: questions_file.with_name(f"{stem}{name}.yaml") for name in ("tuning", "heldout")}


def main(argv=sys.argv[1:]):
    questions_file = (HERE / argv[0]).resolve() if argv else HERE / "questions.yaml"
    parts = parts_for(questions_file)
    for path in parts.values():
        if path.exists() and any(item.get("answers") for item in yaml.safe_load(path.read_text())["questions"]):
            print(f"{path.name} already has answers: not overwritten")
            return 1
    questions = yaml.safe_load(questions_file.read_text(encoding="utf-8"))["questions"]
    tuning, heldout = split(questions)
    notes = {
        "tuning": "# The tuning part of the question inventory (two thirds, split by split.py before any answer was\n"
        "# written). `answers`: the pages that fully answer the question (faq:<slug>, guide:<flow>/<outcome>),\n"
        "# empty when no page does: then it counts as a miss in bench/relevance.py.\n",
        "heldout": "# The HELD-OUT third of the question inventory (split by split.py before any answer was written).\n"
        "# Nobody tunes content, synonyms or search against these questions. `answers` are filled once, after\n"
        "# the content is written, by someone who did not write it: the pages that fully answer the question,\n"
        "# or nothing (a miss). bench/relevance.py reports this part on its own.\n",
    }
    for name, items in (("tuning", tuning), ("heldout", heldout)):
        rows = [{**{k: item[k] for k in ("id", "q", "lang", "cluster", "seen")}, "answers": []} for item in items]
        text = yaml.safe_dump({"questions": rows}, allow_unicode=True, sort_keys=False, width=200)
        parts[name].write_text(notes[name] + text, encoding="utf-8")
        print(f"{name}: {len(rows)} questions → {parts[name].name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
