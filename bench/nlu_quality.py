"""NLU quality report on the held-out file, fitting the TF-IDF pipeline directly (no Rasa training).

Prints accuracy, macro-F1, calibration (ECE), out-of-scope handling, the fallback threshold sweep,
typo robustness and latency for each probability-calibration variant of the classifier (none,
sigmoid, isotonic); `--write` also writes the same report to docs/nlu_report.md.

Run: PYTHONPATH=. .venv/bin/python bench/nlu_quality.py [--calibration VARIANT] [--write]
"""

import argparse
import random
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import numpy as np
import yaml
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import accuracy_score, f1_score

from components.tfidf_intent_classifier import (
    CALIBRATION_FOLDS_KEY,
    CALIBRATION_KEY,
    CALIBRATION_METHODS,
    TfidfIntentClassifier,
    build_pipeline,
)

TRAINING_DATA = Path("data/nlu")
HOLDOUT = Path("tests/nlu/holdout.yml")
CONFIG = Path("config.yml")
REPORT = Path("docs/nlu_report.md")
OUT_OF_SCOPE = "out_of_scope"
FALLBACK_CLASSIFIER = "FallbackClassifier"
ALL_VARIANTS = "all"
DEPLOYED = TfidfIntentClassifier.get_default_config()[CALIBRATION_KEY]
DIET_HEADING = "## Stock DIET pipeline"
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


@dataclass
class VariantFigures:
    """Everything the report shows for one calibration variant."""

    clean: Predictions
    noisy: Predictions
    unseen: Predictions
    train_seconds: float
    latencies_ms: List[float]


def variants(choice: str) -> List[str]:
    """The calibration variants for a `--calibration` choice, in `CALIBRATION_METHODS` order."""
    return list(CALIBRATION_METHODS) if choice == ALL_VARIANTS else [choice]


def evaluate(
    calibration: str,
    train_texts: Sequence[str],
    train_labels: Sequence[str],
    texts: Sequence[str],
    labels: Sequence[str],
    unseen: Sequence[int],
) -> VariantFigures:
    """Fits the pipeline with `calibration` and predicts the clean and misspelled held-out file."""
    config = {**TfidfIntentClassifier.get_default_config(), CALIBRATION_KEY: calibration}
    pipeline = build_pipeline(config)
    started = time.perf_counter()
    pipeline.fit(list(train_texts), np.asarray(train_labels))
    train_seconds = time.perf_counter() - started

    clean = predict(pipeline, texts, labels)
    unseen_predictions = Predictions(
        [labels[i] for i in unseen],
        [clean.intents[i] for i in unseen],
        clean.confidences[list(unseen)],
    )
    pipeline.predict_proba(list(texts[:1]))  # warm-up
    latencies_ms = []
    for text in texts:
        started = time.perf_counter()
        pipeline.predict_proba([text])
        latencies_ms.append((time.perf_counter() - started) * 1000)
    noisy = predict(pipeline, misspell_all(texts), labels)
    return VariantFigures(clean, noisy, unseen_predictions, train_seconds, latencies_ms)


def ece_of(predictions: Predictions) -> float:
    """Expected calibration error of the top intent."""
    correct = np.asarray(predictions.intents) == np.asarray(predictions.labels)
    return expected_calibration_error(predictions.confidences, correct)


def report(calibrations: Sequence[str] = CALIBRATION_METHODS) -> List[str]:
    """Fits on data/nlu, evaluates on the held-out file and returns the report as Markdown lines.

    One column (and one threshold sweep) per calibration variant in `calibrations`.
    """
    threshold = fallback_threshold(CONFIG)
    train_texts, train_labels = load_examples(TRAINING_DATA)
    texts, labels = load_examples(HOLDOUT)
    # Short chit-chat ("yes", "thanks") recurs verbatim; the unseen subset shows its effect.
    seen = {text.lower().strip() for text in train_texts}
    unseen = [i for i, text in enumerate(texts) if text.lower().strip() not in seen]
    figures = {
        name: evaluate(name, train_texts, train_labels, texts, labels, unseen)
        for name in calibrations
    }
    folds = TfidfIntentClassifier.get_default_config()[CALIBRATION_FOLDS_KEY]

    def row(figure: str, cell) -> str:
        return f"| {figure} | " + " | ".join(cell(f) for f in figures.values()) + " |"

    def rates(f: VariantFigures, index: int) -> str:
        return f"{outcome_rates(f.clean, threshold)[index]:.3f}"

    header = "| figure | " + " | ".join(f"`{name}`" for name in figures) + " |"
    rule = "|---" * (len(figures) + 1) + "|"
    lines = [
        "# NLU quality on the held-out file",
        "",
        f"Command: `PYTHONPATH=. .venv/bin/python bench/nlu_quality.py --write` "
        f"(`--calibration {{{','.join(CALIBRATION_METHODS)},all}}`, default all). TF-IDF "
        f"pipeline (`build_pipeline` with the component defaults and the `{CALIBRATION_KEY}` "
        f"of the column; `temperature` fits one temperature on out-of-fold logits, `sigmoid` "
        f"and `isotonic` use `CalibratedClassifierCV`, all on {folds} stratified, shuffled "
        f"folds) fitted on `{TRAINING_DATA}` "
        f"({len(train_texts)} examples), evaluated on `{HOLDOUT}` ({len(texts)} messages, "
        f"{len(set(labels))} intents; {len(texts) - len(unseen)} of them also in the training "
        "data, case-insensitively). Accuracy and "
        "macro-F1 are of the top intent, before fallback. Rates are over in-scope messages; "
        f"OOS recall is over the {labels.count(OUT_OF_SCOPE)} `{OUT_OF_SCOPE}` messages. "
        f"`{DEPLOYED}` is what `config.yml` deploys (the component's default).",
        "",
        header,
        rule,
        row("accuracy", lambda f: f"{quality(f.clean)[0]:.3f}"),
        row("macro-F1", lambda f: f"{quality(f.clean)[1]:.3f}"),
        row(
            f"accuracy / macro-F1, the {len(unseen)} messages not in the training data",
            lambda f: "{:.3f} / {:.3f}".format(*quality(f.unseen)),
        ),
        row(f"expected calibration error ({ECE_BINS} bins)", lambda f: f"{ece_of(f.clean):.3f}"),
        row("mean top-class probability", lambda f: f"{f.clean.confidences.mean():.3f}"),
        row(f"fallback threshold (`{CONFIG}`)", lambda f: f"{threshold:.2f}"),
        row(f"out-of-scope recall (answered `{OUT_OF_SCOPE}` or fallback)", lambda f: rates(f, 2)),
        row("in-scope false-fallback rate", lambda f: rates(f, 0)),
        row("wrong-flow rate (in-scope, confident, wrong intent)", lambda f: rates(f, 1)),
        row("training time", lambda f: f"{f.train_seconds:.2f} s"),
        row(
            "predict latency, one message",
            lambda f: f"p50 {statistics.median(f.latencies_ms):.2f} ms, "
            f"p95 {percentile(f.latencies_ms, 0.95):.2f} ms",
        ),
    ]
    for name, f in figures.items():
        lines += [
            "",
            f"## Fallback threshold sweep, `{name}`",
            "",
            "| threshold | fallback rate | wrong-flow rate | OOS recall |",
            "|---|---|---|---|",
        ]
        for candidate in SWEEP_THRESHOLDS:
            sweep = outcome_rates(f.clean, candidate)
            marker = " (in use)" if abs(candidate - threshold) < 1e-9 else ""
            lines.append(
                f"| {candidate:.2f}{marker} | " + " | ".join(f"{r:.3f}" for r in sweep) + " |"
            )
    lines += [
        "",
        "## Typo robustness",
        "",
        f"The held-out messages with a typo (swap, drop or double a letter) in up to {TYPO_WORDS} "
        f"words of 4+ letters each, seed {TYPO_SEED}. Accuracy / macro-F1.",
        "",
        "| file | " + " | ".join(f"`{name}`" for name in figures) + " |",
        rule,
        row("clean", lambda f: "{:.3f} / {:.3f}".format(*quality(f.clean))),
        row("misspelled", lambda f: "{:.3f} / {:.3f}".format(*quality(f.noisy))),
        row(
            "drop (clean minus misspelled)",
            lambda f: "{:+.3f} / {:+.3f}".format(
                *(c - n for c, n in zip(quality(f.clean), quality(f.noisy), strict=True))
            ),
        ),
    ]
    return lines


def parse_arguments(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """The command line: `--write` and `--calibration`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help=f"also write {REPORT}")
    parser.add_argument(
        "--calibration",
        choices=[*CALIBRATION_METHODS, ALL_VARIANTS],
        default=ALL_VARIANTS,
        help="the calibration variant(s) to fit and report (default: all)",
    )
    return parser.parse_args(argv)


def main() -> None:
    """Prints the report; with --write also saves it to docs/nlu_report.md."""
    arguments = parse_arguments()
    text = "\n".join(report(variants(arguments.calibration))) + "\n"
    print(text, end="")
    if arguments.write:
        # The DIET comparison comes from bench/nlu_compare_diet.py (minutes to run): keep it.
        previous = REPORT.read_text() if REPORT.exists() else ""
        kept = previous[previous.find(DIET_HEADING) :] if DIET_HEADING in previous else ""
        REPORT.write_text(text + ("\n" + kept if kept else ""))
        print(f"wrote {REPORT}")


if __name__ == "__main__":
    main()
