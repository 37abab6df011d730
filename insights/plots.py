"""PNG plots for the segmentation and drift reports (matplotlib, headless Agg backend)."""

from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")  # no display on servers and in CI; must precede pyplot

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from insights.drift import PSI_MODERATE, PSI_SIGNIFICANT, FeatureDrift  # noqa: E402
from insights.segmentation import KScore  # noqa: E402

DPI = 110
HEATMAP_LIMIT = 2.5  # z-scores beyond +-2.5 share the extreme colour


def _save(figure, path: Path) -> Path:
    figure.tight_layout()
    figure.savefig(path, dpi=DPI)
    plt.close(figure)
    return path


def segment_sizes(labels: Sequence[str], sizes: Sequence[int], path: Path) -> Path:
    """Bar chart of customers per cluster, labelled with the cluster's persona."""
    figure, axes = plt.subplots(figsize=(7, 3.5))
    bars = axes.bar(range(len(sizes)), sizes, color="#4c72b0")
    axes.bar_label(bars, labels=[f"{size:,}" for size in sizes], fontsize=8)
    axes.set_xticks(range(len(sizes)), labels, rotation=20, ha="right", fontsize=8)
    axes.set_ylabel("customers")
    axes.set_title("Customers per segment (cluster)")
    return _save(figure, path)


def centroid_heatmap(
    z_scores: np.ndarray, labels: Sequence[str], features: Sequence[str], path: Path
) -> Path:
    """Heat-map of each cluster's centroid as z-scores of the cleaned features."""
    figure, axes = plt.subplots(figsize=(11, 0.5 * len(labels) + 2.5))
    image = axes.imshow(z_scores, cmap="RdBu_r", vmin=-HEATMAP_LIMIT, vmax=HEATMAP_LIMIT)
    axes.set_xticks(range(len(features)), features, rotation=60, ha="right", fontsize=7)
    axes.set_yticks(range(len(labels)), labels, fontsize=8)
    for (row, column), value in np.ndenumerate(z_scores):
        axes.text(column, row, f"{value:.1f}", ha="center", va="center", fontsize=6)
    figure.colorbar(image, ax=axes, label="z-score", shrink=0.8)
    axes.set_title("Feature profile per segment (centroid z-scores)")
    return _save(figure, path)


def k_scores(scores: Sequence[KScore], chosen: int, path: Path) -> Path:
    """Silhouette (higher is better) and Davies-Bouldin (lower is better) over k."""
    figure, left = plt.subplots(figsize=(6, 3.5))
    ks = [score.k for score in scores]
    left.plot(ks, [s.silhouette for s in scores], "o-", color="#4c72b0", label="silhouette")
    left.set_xlabel("k")
    left.set_ylabel("silhouette (sample)", color="#4c72b0")
    left.axvline(chosen, color="grey", linestyle=":", label=f"chosen k={chosen}")
    right = left.twinx()
    right.plot(ks, [s.davies_bouldin for s in scores], "s--", color="#dd8452")
    right.set_ylabel("Davies-Bouldin (sample)", color="#dd8452")
    left.set_title("Choosing k")
    left.legend(loc="upper right", fontsize=8)
    return _save(figure, path)


def drift_bars(drifts: Sequence[FeatureDrift], path: Path) -> Path:
    """PSI per feature with the moderate and significant thresholds."""
    figure, axes = plt.subplots(figsize=(7, 0.25 * len(drifts) + 1.5))
    colours = {"stable": "#55a868", "moderate": "#dd8452", "significant": "#c44e52"}
    axes.barh(
        [d.feature for d in drifts],
        [d.psi for d in drifts],
        color=[colours[d.level] for d in drifts],
    )
    axes.axvline(PSI_MODERATE, color="#dd8452", linestyle=":", label=f"moderate {PSI_MODERATE}")
    axes.axvline(
        PSI_SIGNIFICANT, color="#c44e52", linestyle="--", label=f"significant {PSI_SIGNIFICANT}"
    )
    axes.invert_yaxis()
    axes.tick_params(axis="y", labelsize=7)
    axes.set_xlabel("PSI")
    axes.legend(fontsize=8)
    axes.set_title("Drift per feature (population stability index)")
    return _save(figure, path)
