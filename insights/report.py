"""Markdown reports (with PNG plots) and short stdout summaries of segmentation and drift runs.

Reports go to `<reports dir>/<model version>/`: `report.md` for the segmentation run that fitted
the model, `drift-<timestamp>.md` for each later drift check against it.
"""

from datetime import datetime
from pathlib import Path
from typing import List, Optional, Sequence

import numpy as np

from insights import plots
from insights.cleaning import IQR_FENCE, LOG_FEATURES, MAX_RESOLUTION_HOURS, feature_weights
from insights.drift import PSI_MODERATE, PSI_SIGNIFICANT, FeatureDrift, should_resegment
from insights.features import EUR_PER_UNIT
from insights.pipeline import FittedSegmentation

REPORT_FILE = "report.md"


def _cluster_labels(fit: FittedSegmentation) -> List[str]:
    return [f"{a.cluster}: {a.persona}" for a in fit.model.personas]


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> List[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]


def _drift_lines(drifts: Sequence[FeatureDrift], against: str) -> List[str]:
    verdict = (
        "**Re-segment:** at least one feature drifted significantly."
        if should_resegment(drifts)
        else "No feature drifted significantly: the segments still describe the customers."
    )
    flagged = [d for d in drifts if d.level != "stable"]
    table = (
        _table(("feature", "PSI", "level"), [(d.feature, f"{d.psi:.3f}", d.level) for d in flagged])
        if flagged
        else ["(all features stable)"]
    )
    return [
        f"PSI of each feature against {against} (moderate >= {PSI_MODERATE}, "
        f"significant >= {PSI_SIGNIFICANT}). {verdict}",
        "",
        *table,
    ]


def segmentation_summary(fit: FittedSegmentation, written: Optional[int]) -> str:
    """A few lines for stdout: version, k, customers per persona, where rows went."""
    model = fit.model
    chosen = next(score for score in model.scores if score.k == model.k)
    personas, counts = np.unique(fit.segments, return_counts=True)
    lines = [
        f"model {model.version}: {model.training_rows:,} customers as of {model.as_of:%Y-%m-%d}, "
        f"k={model.k} (silhouette {chosen.silhouette:.3f}, Davies-Bouldin "
        f"{chosen.davies_bouldin:.3f})",
        "segments: " + ", ".join(f"{p} {n:,}" for p, n in zip(personas, counts, strict=True)),
        "clusters: "
        + "; ".join(
            f"{a.cluster}={a.persona} ({fit.sizes()[a.cluster]:,})" for a in model.personas
        ),
        f"cleaning: {int(fit.counts.missing.sum()):,} missing imputed, "
        f"{int(fit.counts.implausible.sum()):,} implausible nullified, "
        f"{int((fit.counts.capped_low + fit.counts.capped_high).sum()):,} outliers capped",
        "dry run: nothing written to the segments table"
        if written is None
        else f"segments table: {written:,} rows written with model_version={model.version}",
    ]
    return "\n".join(lines)


def write_segmentation_report(
    fit: FittedSegmentation,
    reports_dir: Path,
    written: Optional[int],
    previous_drift: Optional[Sequence[FeatureDrift]] = None,
    previous_version: Optional[str] = None,
) -> Path:
    """Writes report.md and its plots for a fitted model; returns the report's path."""
    model = fit.model
    directory = Path(reports_dir) / model.version
    directory.mkdir(parents=True, exist_ok=True)
    labels = _cluster_labels(fit)
    sizes = fit.sizes()
    z_scores = model.centroids / feature_weights(model.names)
    plots.segment_sizes(labels, list(sizes.values()), directory / "sizes.png")
    plots.centroid_heatmap(z_scores, labels, model.names, directory / "profile.png")
    plots.k_scores(model.scores, model.k, directory / "k_scores.png")
    original = model.centroids_original()
    counts = fit.counts
    lines = [
        f"# Segmentation {model.version}",
        "",
        f"- features as of {model.as_of:%Y-%m-%d}, trained {model.trained_at:%Y-%m-%d %H:%M} UTC",
        f"- customers: {model.training_rows:,}; chosen k = {model.k}",
        "- "
        + (
            "dry run: nothing written to the segments table, model not saved"
            if written is None
            else f"segments table: {written:,} rows with model_version `{model.version}`"
        ),
        "- spend converted to EUR at fixed rates: "
        + ", ".join(f"{code} {rate}" for code, rate in EUR_PER_UNIT.items()),
        "- timings: " + ", ".join(f"{step} {s:.1f} s" for step, s in fit.seconds.items()),
        "",
        "## Choosing k",
        "",
        "Silhouette (higher is better) and Davies-Bouldin (lower is better) on a fixed sample; "
        "the k with the best silhouette wins.",
        "",
        *_table(
            ("k", "silhouette", "Davies-Bouldin", "inertia (selection sample)"),
            [
                (s.k, f"{s.silhouette:.3f}", f"{s.davies_bouldin:.3f}", f"{s.inertia:,.0f}")
                for s in model.scores
            ],
        ),
        "",
        "![silhouette and Davies-Bouldin over k](k_scores.png)",
        "",
        "## Segments",
        "",
        "Centroids in original units (logged features back-transformed); the rule that named each:",
        "",
        *_table(
            ("cluster", "persona", "customers", *model.names[:9], "rule"),
            [
                (a.cluster, a.persona, f"{sizes[a.cluster]:,}")
                + tuple(f"{v:,.2f}" for v in original[a.cluster][:9])
                + (a.reason,)
                for a in model.personas
            ],
        ),
        "",
        "![customers per segment](sizes.png)",
        "",
        "![feature profile per segment](profile.png)",
        "",
        "## Cleaning",
        "",
        f"{counts.rows:,} rows. Implausible: negative values, shares outside 0..1, resolution "
        f"over {MAX_RESOLUTION_HOURS} h (nullified, then imputed). Missing: imputed with the "
        f"training median. Outliers: capped at the IQR fences (Q1/Q3 -/+ {IQR_FENCE} IQR) "
        f"after log1p of {', '.join(LOG_FEATURES)}. Not capped (IQR 0 or bounded share): "
        f"{', '.join(counts.not_capped) or 'none'}.",
        "",
        *_table(
            ("feature", "missing", "implausible", "capped low", "capped high"), counts.as_rows()
        ),
        "",
    ]
    if previous_drift is not None:
        plots.drift_bars(previous_drift, directory / "drift.png")
        lines += [
            "## Drift since the previous model",
            "",
            *_drift_lines(previous_drift, f"the training data of `{previous_version}`"),
            "",
            "![drift per feature](drift.png)",
            "",
        ]
    path = directory / REPORT_FILE
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def drift_summary(drifts: Sequence[FeatureDrift], version: str) -> str:
    """A few lines for stdout: the verdict and the features past a threshold."""
    flagged = [f"{d.feature} {d.psi:.3f} ({d.level})" for d in drifts if d.level != "stable"]
    verdict = "re-segment" if should_resegment(drifts) else "no re-segmentation needed"
    return f"drift against {version}: {verdict}; max PSI {max(d.psi for d in drifts):.3f}\n" + (
        "flagged: " + ", ".join(flagged) if flagged else "all features stable"
    )


def write_drift_report(
    drifts: Sequence[FeatureDrift],
    version: str,
    as_of: datetime,
    customers: int,
    reports_dir: Path,
    now: datetime,
) -> Path:
    """Writes drift-<timestamp>.md and drift-<timestamp>.png next to the model's report."""
    directory = Path(reports_dir) / version
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"drift-{now:%Y%m%d%H%M%S}"
    plots.drift_bars(drifts, directory / f"{stem}.png")
    lines = [
        f"# Drift against {version}",
        "",
        f"- current features as of {as_of:%Y-%m-%d}: {customers:,} customers",
        "",
        *_drift_lines(drifts, f"the training data of `{version}`"),
        "",
        *_table(
            ("feature", "PSI", "level"), [(d.feature, f"{d.psi:.3f}", d.level) for d in drifts]
        ),
        "",
        f"![drift per feature]({stem}.png)",
        "",
    ]
    path = directory / f"{stem}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
