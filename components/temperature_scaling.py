"""Temperature scaling: one number that makes a linear classifier's probabilities honest.

The logistic regression ranks intents well but its probabilities run too low or too high, and
the FallbackClassifier's threshold reads them. Dividing the logits by a temperature T keeps every
ranking (so accuracy and macro-F1 are untouched) and only sharpens (T < 1) or softens (T > 1) the
probabilities. T is fitted on out-of-fold logits of the training data, so it is learnt from
predictions on examples the model didn't see, never from the held-out file.
"""

from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.model_selection import StratifiedKFold, cross_val_predict

LOG_T_BOUNDS = (-3.0, 3.0)  # T between about 0.05 and 20


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The T > 0 that minimises the negative log-likelihood of `labels` under softmax(logits/T).

    Args:
        logits: (n, classes) decision values.
        labels: (n,) column index of the true class of each row.

    """
    rows = np.arange(len(labels))

    def nll(log_t: float) -> float:
        return float(-log_softmax(logits / np.exp(log_t), axis=1)[rows, labels].mean())

    result = minimize_scalar(nll, bounds=LOG_T_BOUNDS, method="bounded")
    return float(np.exp(result.x))


def as_class_logits(decision: np.ndarray) -> np.ndarray:
    """(n, classes) logits; a binary classifier's single column d becomes [0, d]."""
    if decision.ndim == 1:
        return np.column_stack([np.zeros_like(decision), decision])
    return decision


class TemperatureScaledClassifier(ClassifierMixin, BaseEstimator):
    """Wraps a classifier with `decision_function`; `predict_proba` is softmax(logits / T)."""

    def __init__(self, estimator: Any = None, folds: int = 5, random_state: int = 42) -> None:
        """`estimator` is cloned for the folds and for the final fit on all data."""
        self.estimator = estimator
        self.folds = folds
        self.random_state = random_state

    def fit(self, features: Any, labels: np.ndarray) -> "TemperatureScaledClassifier":
        """Fits T on out-of-fold logits, then the estimator on everything."""
        labels = np.asarray(labels)
        splitter = StratifiedKFold(self.folds, shuffle=True, random_state=self.random_state)
        logits = cross_val_predict(
            clone(self.estimator), features, labels, cv=splitter, method="decision_function"
        )
        self.classes_ = np.unique(labels)
        targets = np.searchsorted(self.classes_, labels)
        self.temperature_ = fit_temperature(as_class_logits(logits), targets)
        self.estimator_ = clone(self.estimator).fit(features, labels)
        return self

    def decision_function(self, features: Any) -> np.ndarray:
        """The wrapped estimator's logits, one column per class."""
        return as_class_logits(self.estimator_.decision_function(features))

    def predict_proba(self, features: Any) -> np.ndarray:
        """Calibrated class probabilities, columns in `classes_` order."""
        return softmax(self.decision_function(features) / self.temperature_, axis=1)

    def predict(self, features: Any) -> np.ndarray:
        """The most probable class (the same as the wrapped estimator's)."""
        return self.classes_[self.decision_function(features).argmax(axis=1)]
