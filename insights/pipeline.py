"""The segmentation pipeline as one pure function: feature matrix in, fitted model out.

No database, files or clock in here (the caller passes `trained_at`), so tests and the benchmark
run exactly what the CLI runs.
"""

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Dict, Sequence

import numpy as np

from insights.cleaning import Cleaner, CleaningCounts
from insights.drift import fit_reference
from insights.errors import NoCustomersError
from insights.features import FeatureMatrix
from insights.model import SegmentationModel, make_version
from insights.personas import name_clusters
from insights.segmentation import DEFAULT_K_RANGE, cluster, nearest_centroid


@dataclass
class FittedSegmentation:
    """A fitted model with what the report needs about its training run."""

    model: SegmentationModel
    customer_ids: np.ndarray
    labels: np.ndarray  # cluster per customer
    counts: CleaningCounts
    seconds: Dict[str, float] = field(default_factory=dict)  # per step

    @property
    def segments(self) -> np.ndarray:
        """Persona per customer."""
        return self.model.persona_of_cluster[self.labels]

    def sizes(self) -> Dict[int, int]:
        """Customers per cluster."""
        return {c: int(n) for c, n in enumerate(np.bincount(self.labels, minlength=self.model.k))}


def fit_segmentation(
    features: FeatureMatrix,
    as_of: datetime,
    trained_at: datetime,
    k_range: Sequence[int] = DEFAULT_K_RANGE,
) -> FittedSegmentation:
    """Cleans, clusters (k by silhouette), names clusters and bundles the model.

    Raises:
        NoCustomersError: when `features` has no rows.
        InsightsError: when the k range is invalid or there are too few customers for it.

    """
    if len(features) == 0:
        raise NoCustomersError(
            f"no customers created on or before {as_of:%Y-%m-%d} in the database: load a CRM "
            "export first (python -m customer_data.ingest load-all DIR) or check --as-of"
        )
    seconds = {}
    started = time.perf_counter()
    cleaner = Cleaner.fit(features.values, features.names)
    scaled, counts = cleaner.transform(features.values)
    reference = fit_reference(cleaner.impute(features.values))
    seconds["clean"] = time.perf_counter() - started

    started = time.perf_counter()
    clustering = cluster(scaled, k_range)
    centroids = np.asarray(clustering.model.cluster_centers_, dtype=float)
    labels = nearest_centroid(scaled, centroids)  # exactly what a loaded model predicts
    seconds["cluster"] = time.perf_counter() - started

    centre = cleaner.inverse(np.zeros(len(features.names)))[0]
    personas = name_clusters(cleaner.inverse(centroids), centre, features.names)
    model = SegmentationModel(
        version=make_version(trained_at, cleaner, centroids),
        as_of=as_of,
        trained_at=trained_at,
        names=tuple(features.names),
        cleaner=cleaner,
        centroids=centroids,
        personas=personas,
        scores=clustering.scores,
        reference=reference,
        training_rows=len(features),
    )
    return FittedSegmentation(model, features.customer_ids, labels, counts, seconds)
