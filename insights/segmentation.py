"""Clustering of cleaned features: k-means, with k chosen by silhouette on a fixed-size sample.

Silhouette is O(n^2) in memory and time, so it (and Davies-Bouldin, for a second opinion) is
computed on a sample of SCORE_SAMPLE_SIZE customers drawn once with a fixed seed. Candidate k are
fitted on at most SELECTION_SAMPLE_SIZE customers (the cost of trying six k stays flat as the
shop grows); the chosen k is then refitted on every customer. From MINIBATCH_THRESHOLD rows on,
full-batch k-means costs more than it gains, and MiniBatchKMeans is used instead.
"""

from dataclasses import dataclass
from typing import List, Sequence, Union

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.metrics import davies_bouldin_score, silhouette_score

from insights.errors import InsightsError

RANDOM_STATE = 42
DEFAULT_K_RANGE = (3, 8)
MINIBATCH_THRESHOLD = 50_000  # rows; at or above this, MiniBatchKMeans
SCORE_SAMPLE_SIZE = 5_000
SELECTION_SAMPLE_SIZE = 50_000
MINIBATCH_TOL = 1e-4  # stop when centres move less than this (relative); 0 would never stop
KMEANS_N_INIT = 10
MINIBATCH_N_INIT = 3
MINIBATCH_BATCH_SIZE = 4096  # rows per step: big enough to vectorise well on 2 cores
MINIBATCH_MAX_NO_IMPROVEMENT = 10

Clusterer = Union[KMeans, MiniBatchKMeans]


@dataclass(frozen=True)
class KScore:
    """How well k clusters separate the sample (silhouette: higher; Davies-Bouldin: lower)."""

    k: int
    silhouette: float
    davies_bouldin: float
    inertia: float  # on the selection sample


@dataclass
class Clustering:
    """The chosen clustering and the scores every candidate k got."""

    model: Clusterer
    labels: np.ndarray  # cluster per training row
    scores: List[KScore]

    @property
    def k(self) -> int:
        """The chosen number of clusters."""
        return int(self.model.n_clusters)


def build_clusterer(k: int, n_rows: int) -> Clusterer:
    """A k-means with every hyper-parameter pinned; mini-batch above the size threshold."""
    if n_rows >= MINIBATCH_THRESHOLD:
        return MiniBatchKMeans(
            n_clusters=k,
            batch_size=MINIBATCH_BATCH_SIZE,
            n_init=MINIBATCH_N_INIT,
            max_no_improvement=MINIBATCH_MAX_NO_IMPROVEMENT,
            tol=MINIBATCH_TOL,
            random_state=RANDOM_STATE,
        )
    return KMeans(n_clusters=k, n_init=KMEANS_N_INIT, random_state=RANDOM_STATE)


def score_sample(n_rows: int, size: int = SCORE_SAMPLE_SIZE) -> np.ndarray:
    """Row indices of a fixed sample of `size` rows (all rows when there are fewer)."""
    if n_rows <= size:
        return np.arange(n_rows)
    return np.sort(np.random.default_rng(RANDOM_STATE).choice(n_rows, size, replace=False))


def candidate_ks(k_range: Sequence[int], n_rows: int) -> List[int]:
    """The k values worth trying on `n_rows` customers.

    Raises:
        InsightsError: on an empty range or too few customers for the smallest k.

    """
    k_min, k_max = k_range
    if k_min < 2 or k_max < k_min:
        raise InsightsError(f"k range must satisfy 2 <= k-min <= k-max, got {k_min}..{k_max}")
    # Silhouette needs at least one more row than clusters.
    ks = [k for k in range(k_min, k_max + 1) if k < n_rows]
    if not ks:
        raise InsightsError(
            f"{n_rows} customers are too few to form {k_min} segments; load more data"
        )
    return ks


def cluster(scaled: np.ndarray, k_range: Sequence[int] = DEFAULT_K_RANGE) -> Clustering:
    """Scores every candidate k on the samples, refits the best (by silhouette) on all rows."""
    selection = scaled[score_sample(len(scaled), SELECTION_SAMPLE_SIZE)]
    sample = score_sample(len(selection))
    best_k, best_silhouette, scores = None, -np.inf, []
    for k in candidate_ks(k_range, len(scaled)):
        model = build_clusterer(k, len(selection)).fit(selection)
        sampled = model.labels_[sample]
        if len(np.unique(sampled)) < 2:
            silhouette, davies_bouldin = -1.0, float("inf")  # degenerate: never chosen
        else:
            silhouette = float(silhouette_score(selection[sample], sampled))
            davies_bouldin = float(davies_bouldin_score(selection[sample], sampled))
        scores.append(KScore(k, silhouette, davies_bouldin, float(model.inertia_)))
        if silhouette > best_silhouette:
            best_k, best_silhouette, best = k, silhouette, model
    if len(selection) < len(scaled):
        best = build_clusterer(best_k, len(scaled)).fit(scaled)
    return Clustering(best, np.asarray(best.labels_), scores)


def nearest_centroid(scaled: np.ndarray, centroids: np.ndarray, chunk: int = 100_000) -> np.ndarray:
    """Index of the closest centroid per row (what `KMeans.predict` does), in bounded memory."""
    out = np.empty(len(scaled), dtype=np.int64)
    squared_norms = (centroids**2).sum(axis=1)
    for start in range(0, len(scaled), chunk):
        block = scaled[start : start + chunk]
        # |x - c|^2 = |x|^2 - 2 x.c + |c|^2; |x|^2 is the same for every c.
        out[start : start + chunk] = np.argmin(squared_norms - 2 * block @ centroids.T, axis=1)
    return out
