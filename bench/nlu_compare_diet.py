"""Rasa's stock DIET pipeline (the `rasa init` default) against our TF-IDF classifier.

Trains the stock NLU pipeline with `rasa train nlu` on data/ into a temporary directory, times
it, evaluates it with `rasa test nlu` on the held-out file and measures the per-message parse
latency of the loaded model; then fits our TF-IDF pipeline on the same data and prints both
side by side. DIET trains for 100 epochs, so expect several minutes on 2 cores.

Run: PYTHONPATH=. .venv/bin/python bench/nlu_compare_diet.py [--write]
"""

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import yaml

from bench.nlu_quality import (
    CONFIG,
    DIET_HEADING,
    HOLDOUT,
    OUT_OF_SCOPE,
    REPORT,
    TRAINING_DATA,
    Predictions,
    expected_calibration_error,
    load_examples,
    percentile,
    predict,
    quality,
)
from components.tfidf_intent_classifier import TfidfIntentClassifier, build_pipeline

DATA = Path("data")
MODEL_NAME = "stock-diet"
NLU_FALLBACK = "nlu_fallback"
RASA = Path(sys.executable).with_name("rasa")
# The NLU part of the config `rasa init` writes (ResponseSelector left out: no retrieval intents).
STOCK_CONFIG: Dict[str, Any] = {
    "recipe": "default.v1",
    "language": "en",
    "assistant_id": "stock-diet-benchmark",
    "pipeline": [
        {"name": "WhitespaceTokenizer"},
        {"name": "RegexFeaturizer"},
        {"name": "LexicalSyntacticFeaturizer"},
        {"name": "CountVectorsFeaturizer"},
        {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
        {"name": "DIETClassifier", "epochs": 100, "constrain_similarities": True},
        {"name": "EntitySynonymMapper"},
        {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.1},
    ],
    "policies": [],
}


def train_diet(work_dir: Path) -> Tuple[Path, float]:
    """Trains the stock pipeline into `work_dir`; returns the model path and wall time."""
    config_path = work_dir / "config.yml"
    config_path.write_text(yaml.safe_dump(STOCK_CONFIG, sort_keys=False))
    started = time.perf_counter()
    subprocess.run(
        [
            str(RASA),
            "train",
            "nlu",
            "--nlu",
            str(DATA),
            "--config",
            str(config_path),
            "--out",
            str(work_dir),
            "--fixed-model-name",
            MODEL_NAME,
        ],
        check=True,
    )
    return work_dir / f"{MODEL_NAME}.tar.gz", time.perf_counter() - started


def test_diet(model: Path, work_dir: Path) -> Dict[str, Any]:
    """Runs `rasa test nlu` on the held-out file and returns its intent report."""
    out = work_dir / "results"
    subprocess.run(
        [
            str(RASA),
            "test",
            "nlu",
            "--nlu",
            str(HOLDOUT),
            "--model",
            str(model),
            "--out",
            str(out),
        ],
        check=True,
    )
    return json.loads((out / "intent_report.json").read_text())


async def parse_all(model: Path, texts: Sequence[str]) -> Tuple[List[str], np.ndarray, List[float]]:
    """Top intent and its top-two confidences (ignoring `nlu_fallback`), and parse latency."""
    from rasa.core.agent import load_agent

    agent = await load_agent(model_path=str(model))
    await agent.parse_message(texts[0])  # warm-up
    intents, top_two, latencies_ms = [], [], []
    for text in texts:
        started = time.perf_counter()
        result = await agent.parse_message(text)
        latencies_ms.append((time.perf_counter() - started) * 1000)
        ranking = [e for e in result.get("intent_ranking", []) if e["name"] != NLU_FALLBACK]
        intents.append(ranking[0]["name"] if ranking else NLU_FALLBACK)
        confidences = [e["confidence"] for e in ranking[:2]] + [0.0, 0.0]
        top_two.append(confidences[:2])
    return intents, np.asarray(top_two), latencies_ms


def thresholds(config: Dict[str, Any]) -> Tuple[float, float]:
    """(threshold, ambiguity_threshold) of a config's FallbackClassifier."""
    for component in config["pipeline"]:
        if component["name"] == "FallbackClassifier":
            return component["threshold"], component.get("ambiguity_threshold", 0.1)
    raise ValueError("no FallbackClassifier")


def fallback_figures(
    labels: Sequence[str], intents: Sequence[str], top_two: np.ndarray, config: Dict[str, Any]
) -> Dict[str, float]:
    """ECE, out-of-scope recall and in-scope false-fallback rate at the config's thresholds."""
    threshold, ambiguity = thresholds(config)
    gold, top = np.asarray(labels), np.asarray(intents)
    fallback = (top_two[:, 0] < threshold) | (top_two[:, 0] - top_two[:, 1] < ambiguity)
    in_scope = gold != OUT_OF_SCOPE
    return {
        "ece": expected_calibration_error(top_two[:, 0], top == gold),
        "oos_recall": float((fallback | (top == OUT_OF_SCOPE))[~in_scope].mean()),
        "false_fallback": float(fallback[in_scope].mean()),
        "wrong_flow": float((~fallback & (top != gold))[in_scope].mean()),
        "threshold": threshold,
        "ambiguity": ambiguity,
    }


def tfidf_figures(texts: Sequence[str], labels: Sequence[str]) -> Dict[str, float]:
    """Quality, calibration, fallback rates, fit time and predict latency of our pipeline."""
    train_texts, train_labels = load_examples(TRAINING_DATA)
    pipeline = build_pipeline(TfidfIntentClassifier.get_default_config())
    started = time.perf_counter()
    pipeline.fit(train_texts, np.asarray(train_labels))
    train_seconds = time.perf_counter() - started
    predictions = predict(pipeline, texts, labels)
    accuracy, macro_f1 = quality(predictions)
    top_two = np.sort(pipeline.predict_proba(list(texts)), axis=1)[:, ::-1][:, :2]
    ours = yaml.safe_load(CONFIG.read_text())
    fallback = fallback_figures(labels, predictions.intents, top_two, ours)
    pipeline.predict_proba(list(texts[:1]))  # warm-up
    latencies_ms = []
    for text in texts:
        started = time.perf_counter()
        pipeline.predict_proba([text])
        latencies_ms.append((time.perf_counter() - started) * 1000)
    return {
        **fallback,
        "accuracy": accuracy,
        "macro_f1": macro_f1,
        "train_seconds": train_seconds,
        "p50_ms": statistics.median(latencies_ms),
        "p95_ms": percentile(latencies_ms, 0.95),
    }


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Trains, tests and times the stock DIET pipeline and prints it next to TF-IDF."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"also update {REPORT}")
    arguments = parser.parse_args(argv)
    texts, labels = load_examples(HOLDOUT)
    with tempfile.TemporaryDirectory(prefix="nlu-diet-") as tmp:
        work_dir = Path(tmp)
        model, diet_train_seconds = train_diet(work_dir)
        intent_report = test_diet(model, work_dir)
        diet_intents, diet_top_two, diet_latencies = asyncio.run(parse_all(model, texts))
    diet_before = Predictions(list(labels), diet_intents, diet_top_two[:, 0])
    diet_accuracy, diet_macro_f1 = quality(diet_before)
    diet = fallback_figures(labels, diet_intents, diet_top_two, STOCK_CONFIG)
    tfidf = tfidf_figures(texts, labels)

    def rate(figures: Dict[str, float], key: str) -> str:
        return f"{figures[key]:.3f} (at {figures['threshold']} / {figures['ambiguity']})"

    rows = [
        ("figure", "stock DIET", "TF-IDF (ours)"),
        (
            "accuracy, `rasa test nlu` (fallback counts as wrong)",
            f"{intent_report['accuracy']:.3f}",
            "",
        ),
        (
            "macro-F1, `rasa test nlu` (fallback counts as wrong)",
            f"{intent_report['macro avg']['f1-score']:.3f}",
            "",
        ),
        (
            "accuracy, top intent before fallback",
            f"{diet_accuracy:.3f}",
            f"{tfidf['accuracy']:.3f}",
        ),
        (
            "macro-F1, top intent before fallback",
            f"{diet_macro_f1:.3f}",
            f"{tfidf['macro_f1']:.3f}",
        ),
        ("expected calibration error (10 bins)", f"{diet['ece']:.3f}", f"{tfidf['ece']:.3f}"),
        ("out-of-scope recall", rate(diet, "oos_recall"), rate(tfidf, "oos_recall")),
        (
            "in-scope false-fallback rate",
            rate(diet, "false_fallback"),
            rate(tfidf, "false_fallback"),
        ),
        ("wrong-flow rate", rate(diet, "wrong_flow"), rate(tfidf, "wrong_flow")),
        (
            "training time",
            f"{diet_train_seconds:.1f} s (`rasa train nlu`)",
            f"{tfidf['train_seconds']:.1f} s (pipeline fit)",
        ),
        (
            "parse latency, one message",
            f"p50 {statistics.median(diet_latencies):.2f} ms, "
            f"p95 {percentile(diet_latencies, 0.95):.2f} ms (`Agent.parse_message`)",
            f"p50 {tfidf['p50_ms']:.2f} ms, p95 {tfidf['p95_ms']:.2f} ms (`predict_proba`)",
        ),
    ]
    table = [f"| {' | '.join(rows[0])} |", "|---|---|---|"]
    table += [f"| {' | '.join(row)} |" for row in rows[1:]]
    print(f"\nHeld-out file {HOLDOUT}: {len(texts)} messages, {len(set(labels))} intents\n")
    print("\n".join(table))
    if arguments.write:
        write_section(table)


def write_section(table: List[str]) -> None:
    """Replaces the DIET section of the NLU report (everything from its heading on)."""
    previous = REPORT.read_text() if REPORT.exists() else ""
    head = previous[: previous.find(DIET_HEADING)] if DIET_HEADING in previous else previous
    section = [
        DIET_HEADING,
        "",
        "Command: `PYTHONPATH=. .venv/bin/python bench/nlu_compare_diet.py --write` (or `make "
        "nlu-report` for the whole report). The `rasa init` NLU pipeline (WhitespaceTokenizer, "
        "RegexFeaturizer, LexicalSyntacticFeaturizer, CountVectorsFeaturizer, "
        "CountVectorsFeaturizer char_wb 1-4, DIETClassifier epochs 100 with "
        "`constrain_similarities`, EntitySynonymMapper, FallbackClassifier 0.3 / ambiguity 0.1) "
        f"trained with `rasa train nlu` on `{DATA}/`, tested with `rasa test nlu` on `{HOLDOUT}`; "
        "calibration and fallback rates from the top-two confidences `Agent.parse_message` "
        "returns, at each pipeline's own thresholds (ours from `config.yml`). Next to it, our "
        "TF-IDF pipeline as deployed (temperature-scaled). Training times are wall time on this "
        "2-core machine, which other work may have shared.",
        "",
        *table,
        "",
    ]
    REPORT.write_text(head.rstrip("\n") + "\n\n" + "\n".join(section))


if __name__ == "__main__":
    main()
