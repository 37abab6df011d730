"""Subcommands for the assistant's models: help-article recommender and escalation risk.

`python -m insights recommend-train|recommend-eval|escalation-train|escalation-eval` and
`build-assistant-models` (both models, optionally only when missing: what `make run` needs).
Everything reads the CRM export files (data/crm) and the knowledge base, never the database, so
the models can be built before the data service runs.
"""

import argparse
import sys
import time
from pathlib import Path
from typing import Dict

from insights import escalation_eval, recommender_eval
from insights.articles import DEFAULT_DIRECTORY as ARTICLES_DIRECTORY
from insights.articles import load_articles
from insights.escalation import DEFAULT_PATH as ESCALATION_PATH
from insights.escalation_data import N_CONVERSATIONS, demo_dataset
from insights.recommender import DEFAULT_DIRECTORY as RECOMMENDER_DIRECTORY
from insights.recommender import META_FILE
from insights.resolution_history import DEFAULT_CRM, load_history

RECOMMEND_TRAIN_HELP = "train the help-article recommender and save it"
RECOMMEND_EVAL_HELP = "precision@3/recall@3 of hybrid vs content-only on a time split"
ESCALATION_TRAIN_HELP = "train the escalation-risk model (threshold chosen by CV) and save it"
ESCALATION_EVAL_HELP = "5-fold cross-validated precision, recall, F1 and ROC AUC"
BUILD_HELP = "build both assistant models from the demo export (--if-missing: skip existing)"


def build_models(
    crm_directory: Path = DEFAULT_CRM,
    articles_directory: Path = ARTICLES_DIRECTORY,
    recommender_directory: Path = RECOMMENDER_DIRECTORY,
    escalation_path: Path = ESCALATION_PATH,
    if_missing: bool = False,
) -> Dict[str, Path]:
    """Builds the recommender and the escalation model; returns what was written (a few seconds)."""
    written = {}
    if not (if_missing and (Path(recommender_directory) / META_FILE).is_file()):
        recommender_eval.train_from_files(crm_directory, articles_directory, recommender_directory)
        written["recommender"] = Path(recommender_directory)
    if not (if_missing and Path(escalation_path).is_file()):
        escalation_eval.train_from_files(crm_directory, escalation_path)
        written["escalation"] = Path(escalation_path)
    return written


def _inputs(parser: argparse.ArgumentParser, articles: bool = True) -> None:
    parser.add_argument("--crm", type=Path, default=DEFAULT_CRM, help="CRM export directory")
    if articles:
        parser.add_argument("--articles", type=Path, default=ARTICLES_DIRECTORY)


def add_recommend_train_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `recommend-train`."""
    _inputs(parser)
    parser.add_argument("--out", type=Path, default=RECOMMENDER_DIRECTORY)


def add_recommend_eval_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `recommend-eval`."""
    _inputs(parser)


def add_escalation_train_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `escalation-train`."""
    _inputs(parser, articles=False)
    parser.add_argument("--out", type=Path, default=ESCALATION_PATH)


def add_escalation_eval_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `escalation-eval`."""
    _inputs(parser, articles=False)
    parser.add_argument("--examples", type=int, default=N_CONVERSATIONS)


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `build-assistant-models`."""
    _inputs(parser)
    parser.add_argument("--recommender-out", type=Path, default=RECOMMENDER_DIRECTORY)
    parser.add_argument("--escalation-out", type=Path, default=ESCALATION_PATH)
    parser.add_argument("--if-missing", action="store_true", help="keep models that exist")


def run_recommend_train(arguments: argparse.Namespace) -> int:
    """Trains and saves the recommender."""
    model = recommender_eval.train_from_files(arguments.crm, arguments.articles, arguments.out)
    print(f"recommender (blend {model.config['blend']}) written to {arguments.out}")
    return 0


def run_recommend_eval(arguments: argparse.Namespace) -> int:
    """Prints the recommender's test-split figures."""
    evaluation = recommender_eval.evaluate(
        load_articles(arguments.articles), load_history(arguments.crm)
    )
    print(recommender_eval.format_evaluation(evaluation))
    return 0


def run_escalation_train(arguments: argparse.Namespace) -> int:
    """Trains and saves the escalation model."""
    model = escalation_eval.train_from_files(arguments.crm, arguments.out)
    print(f"escalation model (threshold {model.threshold:.2f}) written to {arguments.out}")
    return 0


def run_escalation_eval(arguments: argparse.Namespace) -> int:
    """Prints the escalation model's cross-validated figures."""
    examples = demo_dataset(arguments.crm, n=arguments.examples)
    print(escalation_eval.format_evaluation(escalation_eval.evaluate(examples)))
    return 0


def run_build(arguments: argparse.Namespace) -> int:
    """Builds both models (or only the missing ones)."""
    started = time.perf_counter()
    written = build_models(
        arguments.crm,
        arguments.articles,
        arguments.recommender_out,
        arguments.escalation_out,
        arguments.if_missing,
    )
    for name, path in written.items():
        print(f"{name}: {path}")
    print(
        f"built {len(written)} model(s) in {time.perf_counter() - started:.1f} s", file=sys.stderr
    )
    return 0
