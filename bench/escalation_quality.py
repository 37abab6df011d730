"""Escalation-risk model: 5-fold CV precision, recall, F1, ROC AUC, threshold and latency.

Uses the synthetic dataset of `insights.escalation_data` on the demo export. Also prints the
ROC AUC of the generating process's own noise-free logit: the ceiling any model can reach on this
data, since the label noise is unobservable.

Run: PYTHONPATH=. .venv/bin/python bench/escalation_quality.py
"""

import time

import numpy as np
from sklearn.metrics import roc_auc_score

from insights.escalation_data import demo_dataset, risk_logit
from insights.escalation_eval import evaluate, format_evaluation, train

LATENCY_CALLS = 1000


def main() -> None:
    """Prints the figures."""
    started = time.perf_counter()
    examples = demo_dataset()
    evaluation = evaluate(examples)
    print(format_evaluation(evaluation))
    labels = [example.needs_human for example in examples]
    oracle = [risk_logit(example.profile, example.conversation) for example in examples]
    print(
        f"ceiling: ROC AUC of the noise-free generating logit {roc_auc_score(labels, oracle):.3f}"
    )
    print(f"data + evaluation time: {time.perf_counter() - started:.1f} s")

    model = train(examples)
    timings = []
    for example in examples[:LATENCY_CALLS]:
        begun = time.perf_counter()
        model.predict_proba(example.profile, example.conversation)
        timings.append((time.perf_counter() - begun) * 1000)
    print(
        f"predict_proba p50 {np.percentile(timings, 50):.2f} ms"
        f"  p95 {np.percentile(timings, 95):.2f} ms  (n={LATENCY_CALLS})"
    )


if __name__ == "__main__":
    main()
