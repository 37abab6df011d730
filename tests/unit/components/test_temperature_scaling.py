import numpy as np
import pytest
from scipy.special import softmax
from sklearn.linear_model import LogisticRegression

from components.temperature_scaling import TemperatureScaledClassifier, fit_temperature


@pytest.mark.parametrize("true_temperature", [0.5, 1.0, 3.0])
def test_fit_temperature_recovers_the_temperature_that_generated_the_labels(true_temperature):
    rng = np.random.default_rng(7)
    logits = rng.normal(0, 4, size=(20000, 5))
    probabilities = softmax(logits / true_temperature, axis=1)
    labels = np.array([rng.choice(5, p=row) for row in probabilities])
    assert fit_temperature(logits, labels) == pytest.approx(true_temperature, rel=0.1)


def test_overconfident_logits_get_a_temperature_above_one():
    logits = np.array([[10.0, 0.0]] * 50 + [[0.0, 10.0]] * 50)
    labels = np.array([0] * 40 + [1] * 10 + [1] * 40 + [0] * 10)  # 80 % right, not 100 %
    temperature = fit_temperature(logits, labels)
    assert temperature > 1
    assert softmax(logits[:1] / temperature, axis=1)[0, 0] == pytest.approx(0.8, abs=0.02)


def test_the_wrapper_keeps_predictions_and_scales_probabilities():
    rng = np.random.default_rng(3)
    features = rng.normal(size=(300, 4))
    labels = np.where(features[:, 0] + 0.5 * rng.normal(size=300) > 0, "a", "b")
    plain = LogisticRegression(C=100).fit(features, labels)
    scaled = TemperatureScaledClassifier(LogisticRegression(C=100), folds=3).fit(features, labels)
    assert list(scaled.classes_) == ["a", "b"]
    assert (scaled.predict(features) == plain.predict(features)).all()
    assert np.allclose(scaled.predict_proba(features).sum(axis=1), 1)
    assert not np.allclose(scaled.predict_proba(features), plain.predict_proba(features))
