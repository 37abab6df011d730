"""The `segment` and `drift` subcommands: arguments and handlers (the CLI's composition root).

Handlers build the engine from the settings, run the pipeline, write models, rows and reports
under the output directory, and print a short summary. Errors the operator can fix are raised as
`InsightsError` and printed as one line by `insights.__main__`.
"""

import argparse
import time
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from customer_data.db import build_engine
from customer_data.models import Segment
from customer_data.settings import get_settings
from insights import persistence, report
from insights.assignments import write_segments
from insights.drift import compare
from insights.errors import InsightsError, NoCustomersError
from insights.features import featurize
from insights.model import VERSION_PREFIX, SegmentationModel
from insights.pipeline import fit_segmentation
from insights.segmentation import DEFAULT_K_RANGE

DEFAULT_OUTPUT_DIR = Path("var/insights")  # relative to the working directory, like var/*.db
MODELS_SUBDIR = "models"
REPORTS_SUBDIR = "reports"

SEGMENT_HELP = "fit the customer segmentation, write segments and a report"
DRIFT_HELP = "compare current customer features with a model's training distribution"


def _as_of(text: str) -> datetime:
    """`YYYY-MM-DD` as midnight UTC: events up to the start of that day count."""
    try:
        day = date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from error
    return datetime(day.year, day.month, day.day)


def _now() -> datetime:
    return datetime.utcnow().replace(microsecond=0)


def _common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of", type=_as_of, default=None, help="features as of YYYY-MM-DD (default: now)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUTPUT_DIR,
        help=f"directory for models/ and reports/ (default: {DEFAULT_OUTPUT_DIR})",
    )


def add_segment_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `python -m insights segment`."""
    _common_arguments(parser)
    parser.add_argument("--k-min", type=int, default=DEFAULT_K_RANGE[0])
    parser.add_argument("--k-max", type=int, default=DEFAULT_K_RANGE[1])
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="fit and report only: no segments rows, model not saved",
    )
    parser.add_argument(
        "--if-unsegmented",
        action="store_true",
        help="do nothing when customers already have segments from a segmentation model "
        "(what `make seed` uses, so a restart doesn't re-segment)",
    )


def already_segmented(engine) -> bool:
    """Whether any segments row comes from a segmentation model (not an imported label)."""
    statement = select(Segment.id).where(Segment.model_version.like(f"{VERSION_PREFIX}-%")).limit(1)
    with engine.connect() as connection:
        return connection.execute(statement).first() is not None


def add_drift_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `python -m insights drift`."""
    _common_arguments(parser)
    parser.add_argument(
        "--model",
        type=Path,
        default=None,
        help="model directory (default: the latest under --out/models)",
    )


def _current_drift(model: SegmentationModel, features):
    if tuple(features.names) != tuple(model.names):
        raise InsightsError(
            f"model {model.version} was trained on other features; re-segment instead"
        )
    return compare(model.reference, model.cleaner.impute(features.values), model.names)


def run_segment(arguments: argparse.Namespace) -> int:
    """Featurize, fit, write segments (unless --dry-run), save the model and the report."""
    now = _now()
    as_of = arguments.as_of or now
    models_dir = arguments.out / MODELS_SUBDIR
    engine = build_engine(get_settings().database_url)
    if arguments.if_unsegmented and already_segmented(engine):
        engine.dispose()
        print("customers already segmented: nothing to do (run without --if-unsegmented to refit)")
        return 0
    try:
        started = time.perf_counter()
        features = featurize(engine, as_of)
        featurize_seconds = time.perf_counter() - started
        fit = fit_segmentation(features, as_of, now, (arguments.k_min, arguments.k_max))
        fit.seconds = {"featurize": featurize_seconds, **fit.seconds}
        previous_version = persistence.latest_version(models_dir)
        previous_drift = None
        if previous_version is not None:
            previous = persistence.load(models_dir)
            if tuple(previous.names) == tuple(features.names):
                previous_drift = _current_drift(previous, features)
        written = None
        if not arguments.dry_run:
            started = time.perf_counter()
            written = write_segments(engine, fit.customer_ids, fit.segments, fit.model.version, now)
            fit.seconds["write segments"] = time.perf_counter() - started
            persistence.save(fit.model, models_dir)
    finally:
        engine.dispose()
    path = report.write_segmentation_report(
        fit, arguments.out / REPORTS_SUBDIR, written, previous_drift, previous_version
    )
    print(report.segmentation_summary(fit, written))
    print(f"report: {path}")
    return 0


def run_drift(arguments: argparse.Namespace) -> int:
    """Compare current features with the model's training distribution and report PSI."""
    model = persistence.load(arguments.model or arguments.out / MODELS_SUBDIR)
    now = _now()
    as_of = arguments.as_of or now
    engine = build_engine(get_settings().database_url)
    try:
        features = featurize(engine, as_of)
    finally:
        engine.dispose()
    if len(features) == 0:
        raise NoCustomersError(f"no customers created on or before {as_of:%Y-%m-%d}")
    drifts = _current_drift(model, features)
    path = report.write_drift_report(
        drifts, model.version, as_of, len(features), arguments.out / REPORTS_SUBDIR, now
    )
    print(report.drift_summary(drifts, model.version))
    print(f"report: {path}")
    return 0
