"""Scoring helper of bench/entity_quality.py on hand-made spans."""

import pytest

from bench.entity_quality import MICRO, score, spans

TYPES = ("order_id", "email")


def test_exact_span_scoring_per_type_and_micro_average():
    text = "order ORD-583920 from a@example.com"
    gold = spans(
        text,
        [
            {"entity": "order_id", "start": 6, "end": 16},
            {"entity": "email", "start": 22, "end": 35},
            {"entity": "city", "start": 0, "end": 5},  # not evaluated
        ],
        TYPES,
    )
    predicted = spans(
        text,
        [
            {"entity": "order_id", "start": 6, "end": 16},
            {"entity": "email", "start": 21, "end": 35},  # off by one: a miss and a false alarm
        ],
        TYPES,
    )
    counts = score(gold, predicted, TYPES)
    assert (counts["order_id"].tp, counts["order_id"].fp, counts["order_id"].fn) == (1, 0, 0)
    assert (counts["email"].tp, counts["email"].fp, counts["email"].fn) == (0, 1, 1)
    assert counts[MICRO].precision == pytest.approx(0.5)
    assert counts[MICRO].recall == pytest.approx(0.5)
    assert counts["email"].f1 == 0.0
    assert len(counts["email"].errors) == 2
