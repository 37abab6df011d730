from datetime import timedelta

import numpy as np
import pytest

from customer_data.db import unit_of_work
from customer_data.models import CURRENCIES, SEGMENTS
from insights import personas
from insights.features import EUR_PER_UNIT, FEATURE_NAMES, featurize
from tests.unit.customer_data.factories import (
    ADA,
    BOB,
    NOW,
    add_customer,
    add_order,
    new_database,
    seeded_database,
)


@pytest.fixture
def features(tmp_path):
    engine, _ = seeded_database(tmp_path)
    matrix = featurize(engine, NOW)
    engine.dispose()
    rows = zip(matrix.customer_ids, matrix.values, strict=True)
    return {cid: dict(zip(FEATURE_NAMES, row, strict=True)) for cid, row in rows}


def test_every_currency_has_a_rate_and_personas_match_segments():
    assert set(EUR_PER_UNIT) == set(CURRENCIES)
    names = {rule.persona for rule in personas.RULES} | {personas.STANDARD}
    assert names == set(SEGMENTS)


def test_features_of_a_customer_with_history(features):
    ada = features[ADA]
    assert ada["frequency"] == 5
    assert ada["monetary_eur"] == pytest.approx(4 * 49.90 + 100.00)
    assert ada["avg_order_value_eur"] == pytest.approx((4 * 49.90 + 100.00) / 5)
    assert ada["recency_days"] == pytest.approx(2 / 24, abs=1e-4)  # newest order 2 h ago
    assert ada["tenure_days"] == pytest.approx(400)
    assert ada["refund_rate"] == pytest.approx(2 / 5)
    assert ada["tickets_per_90_days"] == pytest.approx(2 / 400 * 90)
    assert ada["avg_resolution_hours"] == pytest.approx(24, abs=1e-3)  # only T-2 resolved
    assert ada["days_since_last_interaction"] == pytest.approx(1 / 24, abs=1e-4)
    assert (ada["share_delivery"], ada["share_refunds"], ada["share_orders"]) == (0.5, 0.5, 0)
    # chat: 2 interactions + 1 ticket; email: 1 + 1.
    assert [ada[f"channel_{c}"] for c in ("chat", "email", "web")] == [1, 0, 0]


def test_missing_values_stay_missing_for_cleaning(features):
    bob = features[BOB]
    assert bob["frequency"] == 1 and bob["tickets_per_90_days"] == 0
    assert np.isnan(bob["avg_resolution_hours"]) and np.isnan(bob["days_since_last_interaction"])
    assert sum(bob[f"channel_{c}"] for c in ("web", "slack", "email", "phone", "chat")) == 0


def test_only_events_up_to_as_of_count_and_currencies_convert(tmp_path):
    engine, session_factory = new_database(tmp_path)
    with unit_of_work(session_factory) as session:
        add_customer(session, "C0000009", "Gia Pound")
        add_order(
            session,
            "C0000009",
            "ORD-900001",
            "delivered",
            NOW - timedelta(days=10),
            "100.00",
            currency="GBP",
        )
        add_order(
            session,
            "C0000009",
            "ORD-900002",
            "delivered",
            NOW + timedelta(days=1),
            "100.00",
            currency="GBP",
        )
        add_customer(session, "C0000010", "Later Person", created_at=NOW + timedelta(days=1))
    matrix = featurize(engine, NOW)
    engine.dispose()
    assert matrix.customer_ids.tolist() == ["C0000009"]
    assert matrix.column("frequency")[0] == 1
    assert matrix.column("monetary_eur")[0] == pytest.approx(100 * EUR_PER_UNIT["GBP"])
    assert matrix.column("recency_days")[0] == pytest.approx(10)


def test_no_orders_means_recency_since_sign_up(tmp_path):
    engine, session_factory = new_database(tmp_path)
    with unit_of_work(session_factory) as session:
        add_customer(session, "C0000009", "Nora Order", created_at=NOW - timedelta(days=30))
    matrix = featurize(engine, NOW, chunk_size=1)
    engine.dispose()
    assert matrix.column("recency_days")[0] == pytest.approx(30)
    assert np.isnan(matrix.column("refund_rate")[0])


def test_chunks_give_the_same_features(tmp_path):
    engine, _ = seeded_database(tmp_path)
    whole, chunked = featurize(engine, NOW), featurize(engine, NOW, chunk_size=1)
    engine.dispose()
    assert whole.customer_ids.tolist() == chunked.customer_ids.tolist() == [ADA, BOB, "C0000003"]
    np.testing.assert_allclose(whole.values, chunked.values, equal_nan=True)
