"""NLU quality report on the held-out file, fitting the TF-IDF pipeline directly (no Rasa training).

Prints accuracy, macro-F1, calibration (ECE), out-of-scope handling, the fallback threshold sweep,
typo robustness and latency; `--write` also writes the same report to docs/nlu_report.md.

Run: PYTHONPATH=. .venv/bin/python bench/nlu_quality.py [--write]
"""

import argparse
import random
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, Sequence, Tuple

import numpy as np
import yaml
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import accuracy_score, f1_score

from components.tfidf_intent_classifier import TfidfIntentClassifier, build_pipeline

TRAINING_DATA = Path("data/nlu")
HOLDOUT = Path("tests/nlu/holdout.yml")
CONFIG = Path("config.yml")
REPORT = Path("docs/nlu_report.md")
OUT_OF_SCOPE = "out_of_scope"
FALLBACK_CLASSIFIER = "FallbackClassifier"
SWEEP_THRESHOLDS = [round(0.1 + 0.05 * step, 2) for step in range(11)]  # 0.10 .. 0.60
ECE_BINS = 10
TYPO_SEED = 13
TYPO_WORDS = 2
# Runs of at least four letters: digits, order numbers and punctuation are never touched.
TYPO_WORD_PATTERN = re.compile(r"[^\W\d_]{4,}")


@dataclass
class Predictions:
    """Gold labels with the classifier's top intent and top-class probability per message."""

    labels: List[str]
    intents: List[str]
    confidences: np.ndarray


def fallback_threshold(config_path: Path) -> float:
    """The FallbackClassifier `threshold` in the Rasa config."""
    pipeline = yaml.safe_load(config_path.read_text())["pipeline"]
    for component in pipeline:
        if component["name"] == FALLBACK_CLASSIFIER:
            return float(component["threshold"])
    raise ValueError(f"no {FALLBACK_CLASSIFIER} in {config_path}")


def load_examples(path: Path) -> Tuple[List[str], List[str]]:
    """Plain texts (entity annotations stripped by Rasa) and intents of the intent examples."""
    examples = [m for m in load_data(str(path)).intent_examples if m.get("text")]
    return [m.get("text") for m in examples], [m.get("intent") for m in examples]


def expected_calibration_error(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = ECE_BINS
) -> float:
    """ECE over equal-width bins of the top-class probability, weighted by bin size."""
    confidences = np.asarray(confidences, dtype=float)
    correct = np.asarray(correct, dtype=float)
    # Bin i holds (i/bins, (i+1)/bins]; a confidence of exactly 0 goes into the first bin.
    indices = np.clip(np.ceil(confidences * bins).astype(int) - 1, 0, bins - 1)
    error = 0.0
    for index in range(bins):
        in_bin = indices == index
        if in_bin.any():
            gap = abs(confidences[in_bin].mean() - correct[in_bin].mean())
            error += in_bin.mean() * gap
    return float(error)


def misspell(text: str, rng: random.Random, words: int = TYPO_WORDS) -> str:
    """`text` with one typo (swap, drop or double a letter) in up to `words` words of 4+ letters."""
    candidates = list(TYPO_WORD_PATTERN.finditer(text))
    chosen = sorted(rng.sample(candidates, min(words, len(candidates))), key=lambda m: m.start())
    pieces, cursor = [], 0
    for match in chosen:
        word, position = match.group(), rng.randrange(len(match.group()) - 1)
        edit = rng.choice(("swap", "drop", "double"))
        if edit == "swap" and word[position] != word[position + 1]:
            word = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
        elif edit == "drop":
            word = word[:position] + word[position + 1 :]
        else:  # double; also when a swap of two equal letters would change nothing
            word = word[: position + 1] + word[position:]
        pieces += [text[cursor : match.start()], word]
        cursor = match.end()
    return "".join(pieces) + text[cursor:]


def misspell_all(texts: Sequence[str], seed: int = TYPO_SEED) -> List[str]:
    """A misspelled copy of `texts`, the same for the same seed."""
    return [misspell(text, random.Random(f"{seed}:{index}")) for index, text in enumerate(texts)]


def outcome_rates(predictions: Predictions, threshold: float) -> Tuple[float, float, float]:
    """(in-scope fallback rate, in-scope wrong-flow rate, out-of-scope recall) at `threshold`."""
    labels, intents = np.asarray(predictions.labels), np.asarray(predictions.intents)
    fallback = predictions.confidences < threshold
    in_scope = labels != OUT_OF_SCOPE
    wrong_flow = ~fallback & (intents != labels)
    caught = fallback | (intents == OUT_OF_SCOPE)
    return (
        float(fallback[in_scope].mean()),
        float(wrong_flow[in_scope].mean()),
        float(caught[~in_scope].mean()) if (~in_scope).any() else float("nan"),
    )


def predict(pipeline, texts: Sequence[str], labels: Sequence[str]) -> Predictions:
    """Top intent and its probability for every text, in one batch."""
    probabilities = pipeline.predict_proba(list(texts))
    top = probabilities.argmax(axis=1)
    return Predictions(list(labels), list(pipeline.classes_[top]), probabilities.max(axis=1))


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def quality(predictions: Predictions) -> Tuple[float, float]:
    """(accuracy, macro-F1) of the top intent, fallback ignored."""
    return (
        accuracy_score(predictions.labels, predictions.intents),
        f1_score(predictions.labels, predictions.intents, average="macro", zero_division=0),
    )


def report() -> List[str]:
    """Fits on data/nlu, evaluates on the held-out file and returns the report as Markdown lines."""
    threshold = fallback_threshold(CONFIG)
    train_texts, train_labels = load_examples(TRAINING_DATA)
    texts, labels = load_examples(HOLDOUT)
    # Short chit-chat ("yes", "thanks") recurs verbatim; the unseen subset shows its effect.
    seen = {text.lower().strip() for text in train_texts}
    unseen = [i for i, text in enumerate(texts) if text.lower().strip() not in seen]

    pipeline = build_pipeline(TfidfIntentClassifier.get_default_config())
    started = time.perf_counter()
    pipeline.fit(train_texts, train_labels)
    train_seconds = time.perf_counter() - started

    clean = predict(pipeline, texts, labels)
    accuracy, macro_f1 = quality(clean)
    correct = np.asarray(clean.intents) == np.asarray(clean.labels)
    ece = expected_calibration_error(clean.confidences, correct)
    fallback_rate, wrong_flow_rate, oos_recall = outcome_rates(clean, threshold)
    unseen_accuracy, unseen_macro_f1 = quality(
        Predictions(
            [labels[i] for i in unseen],
            [clean.intents[i] for i in unseen],
            clean.confidences[unseen],
        )
    )

    pipeline.predict_proba(texts[:1])  # warm-up
    latencies_ms = []
    for text in texts:
        started = time.perf_counter()
        pipeline.predict_proba([text])
        latencies_ms.append((time.perf_counter() - started) * 1000)

    noisy = predict(pipeline, misspell_all(texts), labels)
    typo_accuracy, typo_macro_f1 = quality(noisy)

    lines = [
        "# NLU quality on the held-out file",
        "",
        f"Command: `PYTHONPATH=. .venv/bin/python bench/nlu_quality.py --write`. TF-IDF pipeline "
        f"(`build_pipeline` with the component defaults) fitted on `{TRAINING_DATA}` "
        f"({len(train_texts)} examples), evaluated on `{HOLDOUT}` ({len(texts)} messages, "
        f"{len(set(labels))} intents; {len(texts) - len(unseen)} of them also in the training "
        "data, case-insensitively). Accuracy and "
        "macro-F1 are of the top intent, before fallback. Rates are over in-scope messages; "
        f"OOS recall is over the {labels.count(OUT_OF_SCOPE)} `{OUT_OF_SCOPE}` messages.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| accuracy | {accuracy:.3f} |",
        f"| macro-F1 | {macro_f1:.3f} |",
        f"| accuracy / macro-F1, the {len(unseen)} messages not in the training data | "
        f"{unseen_accuracy:.3f} / {unseen_macro_f1:.3f} |",
        f"| expected calibration error ({ECE_BINS} bins) | {ece:.3f} |",
        f"| mean top-class probability | {clean.confidences.mean():.3f} |",
        f"| fallback threshold (`{CONFIG}`) | {threshold:.2f} |",
        f"| out-of-scope recall (answered `{OUT_OF_SCOPE}` or fallback) | {oos_recall:.3f} |",
        f"| in-scope false-fallback rate | {fallback_rate:.3f} |",
        f"| wrong-flow rate (in-scope, confident, wrong intent) | {wrong_flow_rate:.3f} |",
        f"| training time | {train_seconds:.2f} s |",
        f"| predict latency, one message | p50 {statistics.median(latencies_ms):.2f} ms, "
        f"p95 {percentile(latencies_ms, 0.95):.2f} ms |",
        "",
        "## Fallback threshold sweep",
        "",
        "| threshold | fallback rate | wrong-flow rate | OOS recall |",
        "|---|---|---|---|",
    ]
    for candidate in SWEEP_THRESHOLDS:
        rates = outcome_rates(clean, candidate)
        marker = " (in use)" if abs(candidate - threshold) < 1e-9 else ""
        lines.append(f"| {candidate:.2f}{marker} | " + " | ".join(f"{r:.3f}" for r in rates) + " |")
    lines += [
        "",
        "## Typo robustness",
        "",
        f"The held-out messages with a typo (swap, drop or double a letter) in up to {TYPO_WORDS} "
        f"words of 4+ letters each, seed {TYPO_SEED}.",
        "",
        "| file | accuracy | macro-F1 |",
        "|---|---|---|",
        f"| clean | {accuracy:.3f} | {macro_f1:.3f} |",
        f"| misspelled | {typo_accuracy:.3f} | {typo_macro_f1:.3f} |",
        f"| drop (clean minus misspelled) | {accuracy - typo_accuracy:+.3f} | "
        f"{macro_f1 - typo_macro_f1:+.3f} |",
    ]
    return lines


def main() -> None:
    """Prints the report; with --write also saves it to docs/nlu_report.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help=f"also write {REPORT}")
    arguments = parser.parse_args()
    text = "\n".join(report()) + "\n"
    print(text, end="")
    if arguments.write:
        REPORT.write_text(text)
        print(f"wrote {REPORT}")


if __name__ == "__main__":
    main()
