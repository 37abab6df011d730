"""The fitted segmentation model: cleaning, centroids, personas and the training distribution.

It predicts with numpy alone (nearest centroid in the cleaned, scaled space), so a saved model
needs no pickled scikit-learn object to be loaded and used.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import List, Tuple

import numpy as np

from insights.cleaning import Cleaner, CleaningCounts
from insights.drift import DriftReference
from insights.personas import PersonaAssignment
from insights.segmentation import KScore, nearest_centroid

VERSION_PREFIX = "seg"


@dataclass
class SegmentationModel:
    """Everything needed to segment new customers exactly as the training ones were."""

    version: str
    as_of: datetime  # the date the training features describe
    trained_at: datetime
    names: Tuple[str, ...]
    cleaner: Cleaner
    centroids: np.ndarray  # k x features, cleaned and scaled space
    personas: List[PersonaAssignment]  # one per cluster, in cluster order
    scores: List[KScore]  # every candidate k, for the report
    reference: DriftReference  # training distribution, for drift
    training_rows: int

    @property
    def k(self) -> int:
        """The number of clusters."""
        return len(self.centroids)

    @property
    def persona_of_cluster(self) -> np.ndarray:
        """Persona name per cluster index."""
        return np.array([assignment.persona for assignment in self.personas])

    def centroids_original(self) -> np.ndarray:
        """The centroids in original units (EUR, days, ...)."""
        return self.cleaner.inverse(self.centroids)

    def transform(self, values: np.ndarray) -> Tuple[np.ndarray, CleaningCounts]:
        """Raw features to the model's cleaned, scaled space."""
        return self.cleaner.transform(values)

    def predict(self, values: np.ndarray) -> np.ndarray:
        """Cluster index per row of raw features."""
        return nearest_centroid(self.transform(values)[0], self.centroids)

    def segments(self, values: np.ndarray) -> np.ndarray:
        """Persona name per row of raw features."""
        return self.persona_of_cluster[self.predict(values)]


def make_version(trained_at: datetime, cleaner: Cleaner, centroids: np.ndarray) -> str:
    """`seg-YYYYMMDDHHMMSS-<8 hex>`: when, plus a digest of what was fitted."""
    digest = hashlib.sha256()
    digest.update(",".join(cleaner.names).encode())
    for array in (*cleaner.arrays().values(), centroids):
        digest.update(np.ascontiguousarray(array, dtype=float).tobytes())
    return f"{VERSION_PREFIX}-{trained_at:%Y%m%d%H%M%S}-{digest.hexdigest()[:8]}"
