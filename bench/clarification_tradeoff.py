"""Clarification trade-off: wrong-flow rate against clarification rate, per pair of thresholds.

The FallbackClassifier asks a clarifying question when the top intent's confidence is below
`threshold` or the top two are within `ambiguity_threshold`. Raising either sends fewer messages
into a wrong flow and asks more questions. This prints both rates on the held-out NLU file for a
grid of the two thresholds, the configured pair, and the pair with the lowest cost, where a
clarifying question costs CLARIFY_COST of a wrong flow (one extra click against a wrong answer).

Run: PYTHONPATH=. .venv/bin/python bench/clarification_tradeoff.py
"""

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import numpy as np
import yaml

from bench.nlu_quality import CONFIG, HOLDOUT, OUT_OF_SCOPE, TRAINING_DATA, load_examples
from components.tfidf_intent_classifier import TfidfIntentClassifier, build_pipeline

CLARIFY_COST = 0.25
# Asking about more than this share of in-scope messages annoys customers (issue 5's ceiling for
# the in-scope false-fallback rate), so the recommended pair must stay within it.
MAX_CLARIFIED = 0.05
THRESHOLDS = [round(0.10 + 0.05 * step, 2) for step in range(13)]  # 0.10 .. 0.70
AMBIGUITIES = [0.0, 0.05, 0.1, 0.15, 0.2]


@dataclass(frozen=True)
class Rates:
    """Outcomes on the held-out file for one pair of thresholds."""

    threshold: float
    ambiguity: float
    clarified: float  # share of in-scope messages that got a clarifying question
    wrong_flow: float  # share of in-scope messages answered with another intent's flow
    out_of_scope_caught: float  # out-of-scope messages answered as such or clarified

    @property
    def cost(self) -> float:
        """Wrong flows plus the discounted cost of the questions asked."""
        return self.wrong_flow + CLARIFY_COST * self.clarified


def configured_thresholds(config_path: Path) -> Tuple[float, float]:
    """(threshold, ambiguity_threshold) of the FallbackClassifier in the Rasa config."""
    for component in yaml.safe_load(config_path.read_text())["pipeline"]:
        if component["name"] == "FallbackClassifier":
            return float(component["threshold"]), float(component.get("ambiguity_threshold", 0.1))
    raise ValueError(f"no FallbackClassifier in {config_path}")


def rates(
    labels: np.ndarray, top: np.ndarray, first: np.ndarray, second: np.ndarray, t: float, a: float
) -> Rates:
    """The outcome rates when clarifying below `t` or within `a` of the runner-up."""
    clarified = (first < t) | (first - second < a)
    in_scope = labels != OUT_OF_SCOPE
    wrong = ~clarified & (top != labels)
    caught = clarified | (top == OUT_OF_SCOPE)
    return Rates(
        t,
        a,
        float(clarified[in_scope].mean()),
        float(wrong[in_scope].mean()),
        float(caught[~in_scope].mean()),
    )


def sweep(train_path: Path, holdout_path: Path) -> List[Rates]:
    """Fits the classifier on the training data and scores the grid on the held-out file."""
    train_texts, train_labels = load_examples(train_path)
    texts, labels = load_examples(holdout_path)
    pipeline = build_pipeline(TfidfIntentClassifier.get_default_config())
    pipeline.fit(train_texts, np.asarray(train_labels))
    probabilities = pipeline.predict_proba(texts)
    ordered = np.sort(probabilities, axis=1)
    top = pipeline.classes_[probabilities.argmax(axis=1)]
    gold = np.asarray(labels)
    return [
        rates(gold, top, ordered[:, -1], ordered[:, -2], t, a)
        for t in THRESHOLDS
        for a in AMBIGUITIES
    ]


def table(results: Sequence[Rates]) -> List[str]:
    """Markdown rows, one per pair."""
    lines = [
        "| threshold | ambiguity | clarified | wrong flow | out-of-scope caught | cost |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.threshold:.2f} | {r.ambiguity:.2f} | {r.clarified:.1%} | {r.wrong_flow:.1%} "
            f"| {r.out_of_scope_caught:.1%} | {r.cost:.3f} |"
        )
    return lines


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Prints the grid, the configured pair and the cheapest pair."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdout", type=Path, default=HOLDOUT)
    args = parser.parse_args(argv)
    results = sweep(TRAINING_DATA, args.holdout)
    print("\n".join(table(results)))
    threshold, ambiguity = configured_thresholds(CONFIG)
    configured = min(
        results, key=lambda r: abs(r.threshold - threshold) + abs(r.ambiguity - ambiguity)
    )
    allowed = [r for r in results if r.clarified <= MAX_CLARIFIED]
    best = min(allowed, key=lambda r: (round(r.cost, 6), r.clarified, r.threshold, r.ambiguity))
    print(
        f"\nclarifying question counted as {CLARIFY_COST} of a wrong flow; "
        f"recommended = lowest cost with at most {MAX_CLARIFIED:.0%} clarified"
    )
    for name, r in (("configured", configured), ("recommended", best)):
        print(
            f"{name:>11}: threshold {r.threshold:.2f}, ambiguity {r.ambiguity:.2f} -> "
            f"clarified {r.clarified:.1%}, wrong flow {r.wrong_flow:.1%}, "
            f"out-of-scope caught {r.out_of_scope_caught:.1%}"
        )


if __name__ == "__main__":
    main()
