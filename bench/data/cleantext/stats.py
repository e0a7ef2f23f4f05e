"""Counts of the clean-text set, as the Markdown that bench/data/README.md shows.

.venv/bin/python bench/data/cleantext/stats.py            # print the tables
.venv/bin/python bench/data/cleantext/stats.py --update   # rewrite them in the README
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
BEGIN = "<!-- cleantext-counts: begin (written by cleantext/stats.py) -->"
END = "<!-- cleantext-counts: end -->"


def tables() -> str:
    labels = [json.loads(line) for line in (HERE / "labels.jsonl").read_text().splitlines()]
    rows = (HERE / "feeds" / "INDEX.tsv").read_text(encoding="utf-8").splitlines()[1:]
    index = {row.split("\t")[0]: row.split("\t") for row in rows}
    per_feed = Counter(label["feed"] for label in labels)
    languages = Counter(label["language"] for label in labels)
    cases = Counter(case for label in labels for case in label["cases"])
    alerts = Counter(alert for label in labels for alert in label["alerts"])
    topics = Counter(topic for label in labels for topic in label["topics"])
    pairs = sum(label["same_story_as"] is not None for label in labels)
    out = [
        f"{len(labels)} labelled items in {len(index)} feeds; {pairs} of them are the same "
        f"story as another item under another URL; {sum(not lab['alerts'] for lab in labels)} "
        f"should raise no alert; {sum(len(lab['facts']) for lab in labels)} facts, "
        f"{sum(len(lab['forbidden']) for lab in labels)} forbidden strings.",
        "",
        "| language | items |",
        "|---|---|",
        *(f"| {lang} | {n} |" for lang, n in languages.most_common()),
        "",
        "| case | items |",
        "|---|---|",
        *(f"| {case} | {n} |" for case, n in sorted(cases.items(), key=lambda kv: -kv[1])),
        "",
        "| alert rule | items that should fire it |",
        "|---|---|",
        *(f"| {rule} | {n} |" for rule, n in alerts.most_common()),
        "",
        "| topic | items |",
        "|---|---|",
        *(f"| {topic} | {n} |" for topic, n in topics.most_common()),
        "",
        "| feed file | items | Content-Type sent | bytes in |",
        "|---|---|---|---|",
        *(
            f"| `{file}` | {per_feed[file]} | `{row[1]}` | {row[2]} |"
            for file, row in index.items()
        ),
    ]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite the README's tables")
    args = parser.parse_args()
    text = tables()
    if not args.update:
        print(text)
        return 0
    readme = README.read_text(encoding="utf-8")
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    README.write_text(f"{readme[:start]}\n{text}\n{readme[end:]}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
