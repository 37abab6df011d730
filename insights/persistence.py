"""Saving and loading segmentation models as JSON metadata plus a numpy archive (no pickle).

Layout under the models directory (default `var/insights/models/`):

    <version>/model.json    version, dates, feature names, personas and rules, k scores, drift bins
    <version>/arrays.npz    cleaning statistics and centroids (loaded with allow_pickle=False)
    LATEST                  the version of the newest model, for commands given no path
"""

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Optional, Union

import numpy as np

from insights.cleaning import Cleaner
from insights.drift import DriftReference
from insights.errors import ModelNotFoundError
from insights.model import SegmentationModel
from insights.personas import PersonaAssignment
from insights.segmentation import KScore

FORMAT_VERSION = 1
METADATA_FILE = "model.json"
ARRAYS_FILE = "arrays.npz"
LATEST_FILE = "LATEST"
CENTROIDS = "centroids"


def save(model: SegmentationModel, models_dir: Path) -> Path:
    """Writes `model` under `models_dir/<version>/`, points LATEST at it; returns the directory."""
    directory = Path(models_dir) / model.version
    directory.mkdir(parents=True, exist_ok=True)
    np.savez(directory / ARRAYS_FILE, **model.cleaner.arrays(), **{CENTROIDS: model.centroids})
    metadata = {
        "format_version": FORMAT_VERSION,
        "version": model.version,
        "as_of": model.as_of.isoformat(),
        "trained_at": model.trained_at.isoformat(),
        "training_rows": model.training_rows,
        "features": list(model.names),
        "personas": [asdict(assignment) for assignment in model.personas],
        "k_scores": [asdict(score) for score in model.scores],
        "drift_reference": model.reference.to_json(),
    }
    (directory / METADATA_FILE).write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    (Path(models_dir) / LATEST_FILE).write_text(model.version + "\n", encoding="utf-8")
    return directory


def resolve(path: Union[str, Path]) -> Path:
    """The model directory that `path` names.

    `path` may be a model directory, its model.json, or a models directory (then its LATEST).

    Raises:
        ModelNotFoundError: when no model is there.

    """
    path = Path(path)
    if path.name == METADATA_FILE:
        path = path.parent
    latest = path / LATEST_FILE
    if latest.is_file():
        path = path / latest.read_text(encoding="utf-8").strip()
    if not (path / METADATA_FILE).is_file() or not (path / ARRAYS_FILE).is_file():
        raise ModelNotFoundError(
            f"no segmentation model at {path}: run `python -m insights segment` first, "
            "or pass --model with a directory holding model.json and arrays.npz"
        )
    return path


def load(path: Union[str, Path]) -> SegmentationModel:
    """The model saved at `path` (see `resolve`), exactly as `save` wrote it."""
    directory = resolve(path)
    try:
        metadata = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
        with np.load(directory / ARRAYS_FILE, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        names = tuple(metadata["features"])
        centroids = arrays.pop(CENTROIDS)
        model = SegmentationModel(
            version=metadata["version"],
            as_of=datetime.fromisoformat(metadata["as_of"]),
            trained_at=datetime.fromisoformat(metadata["trained_at"]),
            names=names,
            cleaner=Cleaner(names, **arrays),
            centroids=centroids,
            personas=[PersonaAssignment(**entry) for entry in metadata["personas"]],
            scores=[KScore(**entry) for entry in metadata["k_scores"]],
            reference=DriftReference.from_json(metadata["drift_reference"]),
            training_rows=metadata["training_rows"],
        )
    except (KeyError, TypeError, ValueError, OSError) as error:
        raise ModelNotFoundError(f"the model at {directory} is unreadable: {error}") from error
    return model


def latest_version(models_dir: Path) -> Optional[str]:
    """The LATEST model's version, or None before the first save."""
    latest = Path(models_dir) / LATEST_FILE
    return latest.read_text(encoding="utf-8").strip() if latest.is_file() else None
