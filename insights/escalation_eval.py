"""Cross-validates the escalation-risk model, chooses its threshold and trains the final model.

Threshold rule: the probability that maximises F1 on 5-fold out-of-fold predictions (ties go to
the higher threshold, which offers a human less often). The same out-of-fold predictions report
precision, recall and F1 at that threshold, so those figures are slightly optimistic; ROC AUC and
the 0.5-threshold figures come from plain stratified 5-fold cross-validation.
"""

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict, cross_validate

from insights.escalation import DEFAULT_PATH, EscalationRiskModel, build_pipeline, encode
from insights.escalation_data import Example, demo_dataset
from insights.resolution_history import DEFAULT_CRM

FOLDS = 5
CV_SEED = 0
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)
THRESHOLD_RULE = "max out-of-fold F1"
SCORING = ("precision", "recall", "f1", "roc_auc")


@dataclass(frozen=True)
class EscalationEvaluation:
    """Cross-validated figures and the chosen threshold."""

    examples: int
    positive_rate: float
    cv_at_half: Dict[str, float]  # mean of each SCORING metric at threshold 0.5
    threshold: float
    at_threshold: Dict[str, float]  # out-of-fold precision, recall, F1 at `threshold`


def _arrays(examples: Sequence[Example]):
    features = [encode(example.profile, example.conversation) for example in examples]
    return features, np.array([example.needs_human for example in examples], dtype=int)


def choose_threshold(labels: np.ndarray, probabilities: np.ndarray) -> float:
    """The grid threshold with the best F1 (the higher one on ties)."""
    scores = [
        f1_score(labels, probabilities >= threshold, zero_division=0)
        for threshold in THRESHOLD_GRID
    ]
    best = max(range(len(THRESHOLD_GRID)), key=lambda i: (scores[i], THRESHOLD_GRID[i]))
    return float(THRESHOLD_GRID[best])


def evaluate(examples: Sequence[Example], config: Optional[dict] = None) -> EscalationEvaluation:
    """Stratified 5-fold cross-validation and the threshold chosen on out-of-fold predictions."""
    features, labels = _arrays(examples)
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=CV_SEED)
    results = cross_validate(build_pipeline(config), features, labels, cv=folds, scoring=SCORING)
    cv_at_half = {name: float(np.mean(results[f"test_{name}"])) for name in SCORING}
    probabilities = cross_val_predict(
        build_pipeline(config), features, labels, cv=folds, method="predict_proba"
    )[:, 1]
    threshold = choose_threshold(labels, probabilities)
    predicted = probabilities >= threshold
    at_threshold = {
        "precision": float(precision_score(labels, predicted, zero_division=0)),
        "recall": float(recall_score(labels, predicted, zero_division=0)),
        "f1": float(f1_score(labels, predicted, zero_division=0)),
    }
    return EscalationEvaluation(
        len(labels), float(labels.mean()), cv_at_half, threshold, at_threshold
    )


def train(examples: Sequence[Example], config: Optional[dict] = None) -> EscalationRiskModel:
    """Cross-validates, then fits on all examples with the chosen threshold."""
    evaluation = evaluate(examples, config)
    features, labels = _arrays(examples)
    pipeline = build_pipeline(config).fit(features, labels)
    metrics = {**asdict(evaluation), "threshold_rule": THRESHOLD_RULE}
    return EscalationRiskModel(pipeline, evaluation.threshold, config, metrics)


def train_from_files(
    crm_directory: Path = DEFAULT_CRM, out: Path = DEFAULT_PATH
) -> EscalationRiskModel:
    """Trains on the synthetic dataset of a CRM export and saves the model to `out`."""
    model = train(demo_dataset(crm_directory))
    model.save(out)
    return model


def format_evaluation(evaluation: EscalationEvaluation) -> str:
    """The evaluation as a few text lines."""
    half = evaluation.cv_at_half
    at = evaluation.at_threshold
    lines: List[str] = [
        f"examples: {evaluation.examples}, needs a human: {evaluation.positive_rate:.1%}",
        f"{FOLDS}-fold CV at 0.5: precision {half['precision']:.3f}  recall {half['recall']:.3f}"
        f"  F1 {half['f1']:.3f}  ROC AUC {half['roc_auc']:.3f}",
        f"threshold {evaluation.threshold:.2f} ({THRESHOLD_RULE}): precision {at['precision']:.3f}"
        f"  recall {at['recall']:.3f}  F1 {at['f1']:.3f}",
    ]
    return "\n".join(lines)
