import json
from datetime import datetime, timezone

import pytest

from insights.escalation import (
    EscalationModelNotFoundError,
    EscalationRiskModel,
    build_pipeline,
    count_negative_words,
    encode,
    load_escalation_model,
    profile_from_api,
)
from insights.escalation_data import generate
from insights.escalation_eval import THRESHOLD_RULE, choose_threshold, evaluate, train

AT_RISK = {
    "tier": "bronze",
    "segment": "at_risk",
    "order_count": 7,
    "refund_count": 3,
    "refund_rate": 0.4,
    "open_tickets": 2,
    "tickets_last_90_days": 3,
    "days_since_last_order": 240,
    "past_satisfaction": 1.5,
}
NEW = {"tier": "bronze", "segment": "new", "order_count": 1, "days_since_last_order": 5}
COMPLAINT = {"intent": "complaint", "turns": 5, "fallbacks": 3, "text": "This is unacceptable"}
GREETING = {"intent": "greet", "turns": 1, "fallbacks": 0}


def profiles():
    return [
        {**AT_RISK, "customer_id": "C1"},
        {
            **NEW,
            "customer_id": "C2",
            "refund_count": 0,
            "refund_rate": 0.0,
            "open_tickets": 0,
            "tickets_last_90_days": 0,
            "past_satisfaction": None,
        },
        {
            **AT_RISK,
            "customer_id": "C3",
            "segment": "standard",
            "open_tickets": 0,
            "past_satisfaction": 4.5,
        },
        {**AT_RISK, "customer_id": "C4", "segment": "high_value", "tier": "gold"},
    ]


@pytest.fixture(scope="module")
def examples():
    return generate(profiles(), n=1500, seed=1)


@pytest.fixture(scope="module")
def model(examples):
    return train(examples)


def test_the_generator_is_deterministic_and_seeded():
    assert generate(profiles(), n=50, seed=1) == generate(profiles(), n=50, seed=1)
    assert generate(profiles(), n=50, seed=1) != generate(profiles(), n=50, seed=2)


def test_planted_risk_shows_in_labels(examples):
    def rate(predicate):
        chosen = [e.needs_human for e in examples if predicate(e)]
        return sum(chosen) / len(chosen)

    assert rate(lambda e: e.conversation["intent"] == "complaint") > rate(
        lambda e: e.conversation["intent"] == "greet"
    )
    assert rate(lambda e: e.conversation["fallbacks"] >= 2) > rate(
        lambda e: e.conversation["fallbacks"] == 0
    )


def test_complaint_with_fallbacks_from_at_risk_customer_scores_higher(model):
    risky = model.predict_proba(AT_RISK, COMPLAINT)
    calm = model.predict_proba(NEW, GREETING)
    assert 0 <= calm < risky <= 1
    assert model.should_offer_human(AT_RISK, COMPLAINT)
    assert not model.should_offer_human(NEW, GREETING)


def test_more_fallbacks_never_lower_the_risk(model):
    risks = [
        model.predict_proba(NEW, {"intent": "track_order", "turns": 4, "fallbacks": n})
        for n in range(4)
    ]
    assert risks == sorted(risks)


def test_missing_keys_fall_back_to_defaults(model):
    assert model.predict_proba({}, {}) == model.predict_proba(None, None)
    assert (
        encode({}, {})["log_days_since_order"]
        == encode({"days_since_last_order": 365}, {})["log_days_since_order"]
    )


def test_malformed_values_and_unknown_intent_are_handled(model):
    bad = {"order_count": "many", "refund_rate": -1, "tier": 7, "past_satisfaction": "n/a"}
    probability = model.predict_proba(bad, {"intent": "sing_a_song", "turns": None})
    assert 0 < probability < 1
    assert model.predict_proba({}, {"intent": "sing_a_song"}) == pytest.approx(
        model.predict_proba({}, {"intent": "another_unknown"})
    )


def test_negative_words_are_counted_from_text_when_not_given():
    assert count_negative_words("Terrible service, I am so ANGRY!") == 2
    assert encode({}, {"text": "awful, useless"})["negative_words"] == 2
    assert encode({}, {"text": "awful", "negative_words": 0})["negative_words"] == 0


def test_save_and_load_round_trip(model, tmp_path):
    path = model.save(tmp_path / "escalation" / "model.json")
    loaded = EscalationRiskModel.load(path)
    assert loaded.threshold == model.threshold
    assert loaded.metrics["threshold_rule"] == THRESHOLD_RULE
    for profile, conversation in ((AT_RISK, COMPLAINT), (NEW, GREETING), ({}, {})):
        assert loaded.predict_proba(profile, conversation) == pytest.approx(
            model.predict_proba(profile, conversation)
        )
    assert json.loads(path.read_text())["format_version"] == 1


def test_missing_model_raises_named_error_or_loader_returns_none(tmp_path):
    with pytest.raises(EscalationModelNotFoundError):
        EscalationRiskModel.load(tmp_path / "absent.json")
    assert load_escalation_model(tmp_path / "absent.json") is None


def test_evaluation_reports_cross_validated_figures(examples):
    evaluation = evaluate(examples)
    assert set(evaluation.cv_at_half) == {"precision", "recall", "f1", "roc_auc"}
    assert evaluation.cv_at_half["roc_auc"] > 0.6  # better than chance on planted structure
    assert 0.05 <= evaluation.threshold <= 0.95


def test_choose_threshold_maximises_f1():
    import numpy as np

    labels = np.array([0, 0, 0, 1, 1])
    probabilities = np.array([0.1, 0.2, 0.3, 0.6, 0.7])
    assert 0.3 < choose_threshold(labels, probabilities) <= 0.6


def test_build_pipeline_is_pinned():
    assert build_pipeline().named_steps["classify"].random_state == 0


def test_profile_from_api_maps_the_data_service_profile():
    profile = {
        "tier": "silver",
        "segment": None,
        "order_count": 4,
        "recent_refunds": [{}, {}],
        "open_tickets": [{}],
        "tickets_last_90_days": 2,
        "last_order": {"placed_at": "2026-01-01T00:00:00"},
    }
    mapped = profile_from_api(profile, now=datetime(2026, 1, 11, tzinfo=timezone.utc))
    assert mapped["days_since_last_order"] == 10
    assert mapped["refund_rate"] == 0.5
    assert mapped["open_tickets"] == 1


def test_demo_profiles_come_from_the_committed_export():
    from insights.escalation_data import demo_profiles

    profiles = demo_profiles()
    assert len(profiles) > 1000
    assert {p["segment"] for p in profiles} >= {"new", "at_risk", "high_value", "standard"}
    assert all(0 <= p["refund_rate"] for p in profiles)


def test_cli_knows_the_model_commands_and_build_skips_existing_models(tmp_path):
    from insights.__main__ import build_parser
    from insights.assistant_model_commands import build_models

    parser = build_parser()
    for command in ("recommend-train", "recommend-eval", "escalation-train", "escalation-eval"):
        assert parser.parse_args([command]).command == command
    recommender, escalation = tmp_path / "rec", tmp_path / "esc.json"
    recommender.mkdir()
    (recommender / "recommender.json").write_text("{}")
    escalation.write_text("{}")
    assert (
        build_models(recommender_directory=recommender, escalation_path=escalation, if_missing=True)
        == {}
    )
