"""Check that no message of the NLU dev set also appears in the training data.

Compares normalised texts (entity annotations removed, lower case, punctuation and extra spaces
dropped), so "Cancel my order!" in data/nlu and "cancel my order" in the dev set count as the same
message. Also reports training examples that occur more than once, and entity values annotated
in different letter cases ("ord 583920" and "ORD 583920"): Rasa's EntitySynonymMapper keys its
table by lower case, so such a pair silently maps one spelling onto the other at prediction time.
Reads only the files given; it never opens tests/nlu/holdout.yml.

    .venv/bin/python scripts/check_nlu_overlap.py                # data/nlu vs tests/nlu/dev.yml
    .venv/bin/python scripts/check_nlu_overlap.py --dev other.yml
"""

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]+\)")
NON_WORD = re.compile(r"[^\w\s]+")
SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text without entity annotations, punctuation, case and repeated spaces."""
    text = ANNOTATION.sub(r"\1", text).lower()
    return SPACES.sub(" ", NON_WORD.sub(" ", text)).strip()


def examples(path: Path) -> List[Tuple[str, str]]:
    """(intent, text) for every example of every intent block in a Rasa NLU YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs = []
    for block in data.get("nlu", []):
        if "intent" not in block:
            continue
        for line in block.get("examples", "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                pairs.append((block["intent"], line[2:].strip()))
    return pairs


def main() -> int:
    """Prints every problem found; the exit status is 1 when there is any."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train", type=Path, default=Path("data/nlu"))
    parser.add_argument("--dev", type=Path, default=Path("tests/nlu/dev.yml"))
    args = parser.parse_args()
    if args.dev.name == "holdout.yml":
        print("refusing to read the held-out file", file=sys.stderr)
        return 2

    training: Dict[str, List[Tuple[str, str, str]]] = defaultdict(list)
    for path in sorted(args.train.glob("*.yml")):
        for intent, text in examples(path):
            training[normalise(text)].append((intent, text, path.name))

    problems = 0
    for _key, rows in sorted(training.items()):
        if len(rows) > 1:
            problems += 1
            print(f"duplicate in training: {[(i, t, f) for i, t, f in rows]}")

    spellings: Dict[str, set] = defaultdict(set)
    for path in sorted(args.train.glob("*.yml")):
        for _, text in examples(path):
            for match in ANNOTATION.finditer(text):
                spellings[match.group(1).lower()].add(match.group(1))
    for variants in spellings.values():
        if len(variants) > 1:
            problems += 1
            print(f"entity value in several letter cases (becomes a synonym): {sorted(variants)}")

    dev = examples(args.dev)
    counts: Dict[str, int] = defaultdict(int)
    for intent, text in dev:
        counts[intent] += 1
        hits = training.get(normalise(text))
        if hits:
            problems += 1
            print(f"dev message in training: {intent!r} {text!r} <- {hits}")
    dev_keys = [normalise(t) for _, t in dev]
    for key in {k for k in dev_keys if dev_keys.count(k) > 1}:
        problems += 1
        print(f"duplicate in dev set: {key!r}")

    print(
        f"{sum(len(r) for r in training.values())} training examples, {len(dev)} dev messages "
        f"in {len(counts)} intents ({min(counts.values())}-{max(counts.values())} each); "
        f"{problems} problem(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
