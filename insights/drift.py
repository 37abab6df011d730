"""Feature drift: population stability index (PSI) of current features against the training ones.

Each feature is binned on its training deciles (ties merge bins, so a 0/1 column gets two), and
PSI = sum over bins of (current share - training share) x ln(current share / training share).
By the usual rule of thumb, PSI below 0.1 is stable, 0.1-0.2 a moderate shift and 0.2 or more a
significant one; one significant feature is reason enough to re-segment.
"""

from dataclasses import dataclass
from typing import Dict, List, Sequence

import numpy as np

PSI_MODERATE = 0.1
PSI_SIGNIFICANT = 0.2
DRIFT_BINS = 10  # quantile bins per feature (fewer when values tie)
# Floor for a bin's share: an empty bin on one side would make PSI infinite.
MIN_SHARE = 1e-4
STABLE, MODERATE, SIGNIFICANT = "stable", "moderate", "significant"


@dataclass
class DriftReference:
    """A feature's training distribution: inner bin edges and each bin's share of customers."""

    edges: List[np.ndarray]  # per feature, ascending inner edges
    shares: List[np.ndarray]  # per feature, len(edges) + 1 shares summing to 1

    def to_json(self) -> Dict[str, list]:
        """Plain lists, for the model's metadata."""
        return {
            "edges": [edges.tolist() for edges in self.edges],
            "shares": [shares.tolist() for shares in self.shares],
        }

    @classmethod
    def from_json(cls, data: Dict[str, list]) -> "DriftReference":
        """Inverse of `to_json`."""
        return cls(
            [np.asarray(edges, dtype=float) for edges in data["edges"]],
            [np.asarray(shares, dtype=float) for shares in data["shares"]],
        )


@dataclass(frozen=True)
class FeatureDrift:
    """One feature's PSI and its verdict."""

    feature: str
    psi: float

    @property
    def level(self) -> str:
        """stable, moderate or significant (see the module's thresholds)."""
        if self.psi >= PSI_SIGNIFICANT:
            return SIGNIFICANT
        return MODERATE if self.psi >= PSI_MODERATE else STABLE


def _bin_shares(column: np.ndarray, edges: np.ndarray) -> np.ndarray:
    counts = np.bincount(np.searchsorted(edges, column, side="right"), minlength=len(edges) + 1)
    return counts / max(len(column), 1)


def fit_reference(values: np.ndarray, bins: int = DRIFT_BINS) -> DriftReference:
    """Bins every column of the (imputed, original-unit) training `values` on its quantiles."""
    inner = np.linspace(0, 1, bins + 1)[1:-1]
    edges = [np.unique(np.quantile(column, inner)) for column in values.T]
    return DriftReference(edges, [_bin_shares(c, e) for c, e in zip(values.T, edges, strict=True)])


def psi(expected: np.ndarray, actual: np.ndarray) -> float:
    """Population stability index between two share vectors over the same bins."""
    expected, actual = np.maximum(expected, MIN_SHARE), np.maximum(actual, MIN_SHARE)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def compare(
    reference: DriftReference, values: np.ndarray, names: Sequence[str]
) -> List[FeatureDrift]:
    """PSI of every feature of current `values` (prepared like the training ones)."""
    return [
        FeatureDrift(name, psi(shares, _bin_shares(column, edges)))
        for name, column, edges, shares in zip(
            names, values.T, reference.edges, reference.shares, strict=True
        )
    ]


def should_resegment(drifts: Sequence[FeatureDrift]) -> bool:
    """True when any feature drifted significantly."""
    return any(drift.level == SIGNIFICANT for drift in drifts)
