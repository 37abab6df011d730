"""Help-article recommender: precision@3 / recall@3 of hybrid vs content-only, and latency.

Fits on the demo export (data/crm + data/crm/ticket_articles.csv) with the time split of
`insights.recommender_eval`, prints the test-split figures, then times `recommend()` on a model
saved and loaded again (what the assistant uses) for known and anonymous customers.

Run: PYTHONPATH=. .venv/bin/python bench/recommender_quality.py
"""

import tempfile
import time
from pathlib import Path

import numpy as np

from insights.articles import load_articles
from insights.recommender import HelpArticleRecommender
from insights.recommender_eval import (
    CATEGORY_INTENTS,
    evaluate,
    format_evaluation,
    history_before,
    split,
)
from insights.resolution_history import load_history

WARMUP = 50


def latency_ms(model, queries, anonymous):
    """Milliseconds per `recommend()` call over `queries`."""
    for ticket in queries[:WARMUP]:
        model.recommend(ticket.subject, CATEGORY_INTENTS[ticket.category], ticket.customer_id)
    timings = []
    for ticket in queries:
        customer = None if anonymous else ticket.customer_id
        started = time.perf_counter()
        model.recommend(ticket.subject, CATEGORY_INTENTS[ticket.category], customer)
        timings.append((time.perf_counter() - started) * 1000)
    return np.percentile(timings, 50), np.percentile(timings, 95)


def main() -> None:
    """Prints the figures."""
    articles, history = load_articles(), load_history()
    started = time.perf_counter()
    evaluation = evaluate(articles, history)
    print(f"articles: {len(articles)}, resolved tickets: {len(history.resolutions)}")
    print(format_evaluation(evaluation))
    print("validation recall@3 by blend:", evaluation.validation_recall)
    print(f"evaluation time: {time.perf_counter() - started:.1f} s")

    _, _, test = split(history)
    model = HelpArticleRecommender({"blend": evaluation.blend}).fit(
        articles, history_before(history, test[0].opened_at)
    )
    with tempfile.TemporaryDirectory() as directory:
        model.save(Path(directory))
        size = sum(path.stat().st_size for path in Path(directory).iterdir())
        started = time.perf_counter()
        loaded = HelpArticleRecommender.load(Path(directory))
        load_ms = (time.perf_counter() - started) * 1000
    print(f"model files: {size / 1024:.0f} KiB, load: {load_ms:.0f} ms")
    for label, anonymous in (("known customer", False), ("anonymous", True)):
        p50, p95 = latency_ms(loaded, test, anonymous)
        print(f"recommend() {label:<15} p50 {p50:.2f} ms  p95 {p95:.2f} ms  (n={len(test)})")


if __name__ == "__main__":
    main()
