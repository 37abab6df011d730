"""Entity quality of the spaCy rule extractor on the held-out file's annotations.

Prints precision, recall and F1 per entity type (order_id, email, phone_number) and micro-averaged,
counting a prediction as correct only when its type, start and end all match the annotation; with
`--errors` it also lists every miss and false alarm. Figures, not assertions.

Run: PYTHONPATH=. .venv/bin/python bench/entity_quality.py [--holdout tests/nlu/holdout.yml]
"""

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Set, Tuple

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from components.spacy_rule_entity_extractor import SpacyRuleEntityExtractor

HOLDOUT = Path("tests/nlu/holdout.yml")
EVALUATED = ("order_id", "email", "phone_number")
MICRO = "micro avg"

# (text, entity type, start, end)
Span = Tuple[str, str, int, int]


@dataclass
class Counts:
    """True positives, false positives and false negatives of one entity type."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: List[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def spans(text: str, entities: Iterable[Dict], types: Iterable[str]) -> Set[Span]:
    """The (text, type, start, end) of each entity whose type is evaluated."""
    return {
        (text, e["entity"], e["start"], e["end"]) for e in entities if e["entity"] in set(types)
    }


def score(gold: Set[Span], predicted: Set[Span], types: Iterable[str]) -> Dict[str, Counts]:
    """Exact-span counts per type, plus their micro average under `MICRO`."""
    counts = {name: Counts() for name in [*types, MICRO]}
    for span in gold | predicted:
        text, name, start, end = span
        outcome = "tp" if span in gold and span in predicted else "fn" if span in gold else "fp"
        for key in (name, MICRO):
            setattr(counts[key], outcome, getattr(counts[key], outcome) + 1)
        if outcome != "tp":
            counts[name].errors.append(f"{outcome} {text[start:end]!r} in {text!r}")
    return counts


def build_extractor(model_dir: Path) -> SpacyRuleEntityExtractor:
    """An extractor with the default config, as `create` makes it in a Rasa pipeline."""
    context = ExecutionContext(GraphSchema({}), "entity-bench")
    storage = LocalModelStorage(model_dir)
    return SpacyRuleEntityExtractor.create({}, storage, Resource("entity_extractor"), context)


def evaluate(extractor: SpacyRuleEntityExtractor, holdout: Path) -> Dict[str, Counts]:
    """Runs the extractor on every held-out text and scores it against the annotations."""
    examples = [m for m in load_data(str(holdout)).training_examples if m.get("text")]
    gold, predicted = set(), set()
    for example in examples:
        text = example.get("text")
        gold |= spans(text, example.get("entities") or [], EVALUATED)
        message = Message.build(text=text)
        extractor.process([message])
        predicted |= spans(text, message.get("entities"), EVALUATED)
    return score(gold, predicted, EVALUATED)


def main() -> None:
    """Prints the table (and the errors with `--errors`)."""
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--holdout", type=Path, default=HOLDOUT)
    parser.add_argument("--errors", action="store_true", help="list misses and false alarms")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="entity-bench-") as model_dir:
        counts = evaluate(build_extractor(Path(model_dir)), args.holdout)
    print(f"{'entity':<14}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}{'tp':>5}{'fp':>5}")
    for name, c in counts.items():
        support = c.tp + c.fn
        print(
            f"{name:<14}{c.precision:>10.3f}{c.recall:>8.3f}{c.f1:>8.3f}{support:>9}"
            f"{c.tp:>5}{c.fp:>5}"
        )
    if args.errors:
        for name in EVALUATED:
            for error in counts[name].errors:
                print(f"{name}: {error}")


if __name__ == "__main__":
    main()
