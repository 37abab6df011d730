"""Feature cleaning fitted on the training customers and replayed, unchanged, on new ones.

Steps, in order: implausible values become missing (a negative duration or a ticket "resolved"
after 90 days is a data error, not behaviour); missing values get the training median; skewed
amounts are log1p-transformed; outliers are capped at the training IQR fences (on the log scale
for logged features, where the fences are meaningful); finally standard scaling. Every step is
counted per feature so the report can say how much of the data was touched.

After scaling, each column is multiplied by a weight: the 8 ticket-category shares and the 5
preferred-channel columns are groups, and k-means would otherwise split customers by channel
(13 of 22 dimensions) rather than by behaviour. A group of n columns gets 1/sqrt(n) per column,
so it carries the variance of one feature.
"""

from dataclasses import dataclass, field
from typing import Dict, List, Sequence, Tuple

import numpy as np
from sklearn.preprocessing import StandardScaler

from insights.features import CATEGORY_FEATURES, CHANNEL_FEATURES

MAX_RESOLUTION_HOURS = 90 * 24  # a ticket open longer than 90 days is a data error
IQR_FENCE = 1.5  # Tukey's fences: Q1 - 1.5 IQR, Q3 + 1.5 IQR
# When at least this share of customers has 0 (tickets, refunds), quartiles of everyone are ~0
# and the fence would cap every non-zero value; such features get an upper fence fitted on the
# non-zero values only, and no lower fence (0 is the common case, not an outlier).
ZERO_INFLATED_SHARE = 0.25
# Right-skewed counts and amounts: log1p makes "10x the spend" a distance, not a cliff.
LOG_FEATURES = ("frequency", "monetary_eur", "avg_order_value_eur", "tickets_per_90_days")
# Shares and one-hot columns are bounded in [0, 1]; capping them would erase the minority value.
UNCAPPED_FEATURES = CATEGORY_FEATURES + CHANNEL_FEATURES
# Valid range per feature (inclusive); values outside are nullified and counted. Features not
# named here only have to be non-negative.
PLAUSIBLE_RANGES: Dict[str, Tuple[float, float]] = {
    "avg_resolution_hours": (0.0, MAX_RESOLUTION_HOURS),
    **{name: (0.0, 1.0) for name in UNCAPPED_FEATURES},
}
NON_NEGATIVE = (0.0, np.inf)
FEATURE_GROUPS = (CATEGORY_FEATURES, CHANNEL_FEATURES)


def feature_weights(names: Sequence[str]) -> np.ndarray:
    """1 per feature, 1/sqrt(n) for each of n features of a group (see the module docstring)."""
    weights = np.ones(len(names))
    for group in FEATURE_GROUPS:
        members = [i for i, name in enumerate(names) if name in group]
        weights[members] = 1 / np.sqrt(len(members)) if members else 1.0
    return weights


def _fences(
    logged: np.ndarray, observed: np.ndarray, names: Sequence[str]
) -> Tuple[np.ndarray, np.ndarray]:
    """Tukey's fences per column, from its observed (not imputed) values.

    A fence is +-inf where the column isn't capped (see the module constants).
    """
    lower, upper = np.full(len(names), -np.inf), np.full(len(names), np.inf)
    for index, (name, column, known) in enumerate(zip(names, logged.T, observed.T, strict=True)):
        if name in UNCAPPED_FEATURES:
            continue
        column = column[known]
        zero_inflated = np.mean(column == 0) >= ZERO_INFLATED_SHARE
        values = column[column != 0] if zero_inflated else column
        if len(values) == 0:
            continue
        q1, q3 = np.percentile(values, [25, 75])
        if q3 > q1:
            upper[index] = q3 + IQR_FENCE * (q3 - q1)
            lower[index] = -np.inf if zero_inflated else q1 - IQR_FENCE * (q3 - q1)
    return lower, upper


@dataclass
class CleaningCounts:
    """How many values each step touched, per feature."""

    names: Tuple[str, ...]
    rows: int
    missing: np.ndarray  # int per feature: NaN in the input, imputed
    implausible: np.ndarray  # out of the plausible range: nullified, then imputed
    capped_low: np.ndarray
    capped_high: np.ndarray
    not_capped: List[str] = field(default_factory=list)  # no upper fence (IQR 0 or a share)

    def as_rows(self) -> List[Tuple[str, int, int, int, int]]:
        """(feature, missing, implausible, capped low, capped high) per feature."""
        return [
            (name, int(m), int(i), int(lo), int(hi))
            for name, m, i, lo, hi in zip(
                self.names,
                self.missing,
                self.implausible,
                self.capped_low,
                self.capped_high,
                strict=True,
            )
        ]


@dataclass
class Cleaner:
    """Fitted cleaning statistics; `transform` applies them to any feature matrix."""

    names: Tuple[str, ...]
    medians: np.ndarray
    lower_fences: np.ndarray  # on the log1p scale for LOG_FEATURES; -inf when not capped
    upper_fences: np.ndarray
    mean: np.ndarray  # of the capped values, for scaling
    scale: np.ndarray  # already divided by the feature weight

    @property
    def bounds(self) -> Tuple[np.ndarray, np.ndarray]:
        """Plausible (low, high) per feature."""
        pairs = [PLAUSIBLE_RANGES.get(name, NON_NEGATIVE) for name in self.names]
        return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])

    @property
    def log_mask(self) -> np.ndarray:
        """True for the log1p-transformed features."""
        return np.array([name in LOG_FEATURES for name in self.names])

    @classmethod
    def fit(cls, values: np.ndarray, names: Sequence[str]) -> "Cleaner":
        """Learns medians, fences and scaling from training `values` (rows x features)."""
        names = tuple(names)
        cleaner = cls(names, *(np.zeros(len(names)) for _ in range(5)))
        nullified, _, _ = cleaner._nullify(values)
        observed = ~np.isnan(nullified)
        # A feature nobody has (e.g. no resolved tickets at all) imputes to 0.
        cleaner.medians = np.array(
            [
                np.median(col[ok]) if ok.any() else 0.0
                for col, ok in zip(nullified.T, observed.T, strict=True)
            ]
        )
        logged = cleaner._logged(cleaner._impute(nullified))
        cleaner.lower_fences, cleaner.upper_fences = _fences(logged, observed, names)
        scaler = StandardScaler().fit(np.clip(logged, cleaner.lower_fences, cleaner.upper_fences))
        cleaner.mean, cleaner.scale = scaler.mean_, scaler.scale_ / feature_weights(names)
        return cleaner

    def _nullify(self, values: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        out = np.array(values, dtype=float, copy=True)
        missing = np.isnan(out)
        low, high = self.bounds
        with np.errstate(invalid="ignore"):
            implausible = ~missing & ((out < low) | (out > high))
        out[implausible] = np.nan
        return out, missing, implausible

    def _impute(self, values: np.ndarray) -> np.ndarray:
        return np.where(np.isnan(values), self.medians, values)

    def _logged(self, values: np.ndarray) -> np.ndarray:
        out = values.copy()
        out[:, self.log_mask] = np.log1p(out[:, self.log_mask])
        return out

    def impute(self, values: np.ndarray) -> np.ndarray:
        """Original-unit values with implausible ones nullified and all gaps imputed."""
        return self._impute(self._nullify(values)[0])

    def transform(self, values: np.ndarray) -> Tuple[np.ndarray, CleaningCounts]:
        """Cleaned, scaled values and the counts of what each step changed."""
        nullified, missing, implausible = self._nullify(values)
        logged = self._logged(self._impute(nullified))
        low, high = logged < self.lower_fences, logged > self.upper_fences
        capped = np.clip(logged, self.lower_fences, self.upper_fences)
        counts = CleaningCounts(
            self.names,
            len(values),
            missing.sum(axis=0),
            implausible.sum(axis=0),
            low.sum(axis=0),
            high.sum(axis=0),
            [n for n, f in zip(self.names, self.upper_fences, strict=True) if np.isinf(f)],
        )
        return (capped - self.mean) / self.scale, counts

    def inverse(self, scaled: np.ndarray) -> np.ndarray:
        """Scaled rows (e.g. centroids) back in original units (log features via expm1)."""
        out = np.atleast_2d(scaled) * self.scale + self.mean
        out[:, self.log_mask] = np.expm1(out[:, self.log_mask])
        return out

    def arrays(self) -> Dict[str, np.ndarray]:
        """The fitted statistics by name, for persistence."""
        return {
            "medians": self.medians,
            "lower_fences": self.lower_fences,
            "upper_fences": self.upper_fences,
            "mean": self.mean,
            "scale": self.scale,
        }
