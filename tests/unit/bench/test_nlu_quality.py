"""Pure helpers of bench/nlu_quality.py: ECE, the misspelling generator and the threshold sweep."""

import re

import numpy as np
import pytest

from bench.nlu_quality import (
    Predictions,
    expected_calibration_error,
    misspell_all,
    outcome_rates,
    parse_arguments,
    variants,
)

TEXTS = [
    "where is my parcel, order ORD-418273 was placed on monday",
    "I'd like to purchase two of the bamboo chopping boards please",
    "hi",
    "refund 12345 asap!!",
]


def test_ece_of_a_hand_made_example():
    # Bin (0.2, 0.3]: mean confidence 0.25, accuracy 0.5 -> gap 0.25, weight 2/4.
    # Bin (0.8, 0.9]: mean confidence 0.85, accuracy 1.0 -> gap 0.15, weight 1/4.
    # Bin (0.9, 1.0]: confidence 1.0, wrong -> gap 1.0, weight 1/4.
    confidences = [0.22, 0.28, 0.85, 1.0]
    correct = [True, False, True, False]
    expected = 0.5 * 0.25 + 0.25 * 0.15 + 0.25 * 1.0
    assert expected_calibration_error(confidences, correct) == pytest.approx(expected)


def test_ece_is_zero_when_confidence_matches_accuracy():
    assert expected_calibration_error([0.5] * 4, [True, False, True, False]) == pytest.approx(0)


def test_misspellings_are_deterministic():
    assert misspell_all(TEXTS, seed=7) == misspell_all(TEXTS, seed=7)
    assert misspell_all(TEXTS, seed=7) != misspell_all(TEXTS, seed=8)


def test_misspelling_changes_only_letters_within_words():
    for seed in range(50):
        for text, typo in zip(TEXTS, misspell_all(TEXTS, seed=seed), strict=True):
            assert re.sub(r"[^\W\d_]", "", typo) == re.sub(r"[^\W\d_]", "", text)
            assert typo.split() != [] and len(typo.split()) == len(text.split())
            changed = [(a, b) for a, b in zip(text.split(), typo.split(), strict=True) if a != b]
            assert len(changed) <= 2
            assert abs(len(typo) - len(text)) <= 2


def test_misspelling_leaves_short_words_alone():
    assert misspell_all(["hi yes ok"]) == ["hi yes ok"]


def test_fallback_rate_grows_with_the_threshold():
    rng = np.random.default_rng(0)
    labels = list(rng.choice(["a", "b", "out_of_scope"], size=200))
    intents = list(rng.choice(["a", "b", "out_of_scope"], size=200))
    predictions = Predictions(labels, intents, rng.uniform(0, 1, size=200))
    sweep = [outcome_rates(predictions, t / 20) for t in range(2, 13)]
    fallback_rates = [rates[0] for rates in sweep]
    oos_recalls = [rates[2] for rates in sweep]
    wrong_flow_rates = [rates[1] for rates in sweep]
    assert fallback_rates == sorted(fallback_rates)
    assert oos_recalls == sorted(oos_recalls)
    assert wrong_flow_rates == sorted(wrong_flow_rates, reverse=True)


def test_calibration_option_defaults_to_every_variant():
    assert variants(parse_arguments([]).calibration) == [
        "none",
        "temperature",
        "sigmoid",
        "isotonic",
    ]
    assert variants(parse_arguments(["--calibration", "isotonic"]).calibration) == ["isotonic"]
    with pytest.raises(SystemExit):
        parse_arguments(["--calibration", "platt"])
