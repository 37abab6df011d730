"""Loads every export file of a directory in dependency order (`make run` seeds the demo data)."""

from datetime import datetime
from pathlib import Path
from typing import Callable, List, Optional, Tuple

from sqlalchemy.engine import Engine

from customer_data.db import build_engine
from customer_data.ingest import formats
from customer_data.ingest.loader import DEFAULT_BATCH_SIZE, ingest_file
from customer_data.ingest.quarantine import DEFAULT_DIRECTORY, default_path
from customer_data.ingest.summary import Summary

DEMO_DIRECTORY = Path("data/crm")
SUFFIXES = (formats.CSV_SUFFIX, *formats.JSONL_SUFFIXES)


def export_files(directory: Path) -> List[Tuple[str, Path]]:
    """(entity, path) of each export file in `directory`, in load order (CSV preferred)."""
    found = []
    for entity in formats.LOAD_ORDER:
        for suffix in SUFFIXES:
            path = Path(directory) / f"{entity}{suffix}"
            if path.is_file():
                found.append((entity, path))
                break
    return found


def load_directory(
    engine: Engine,
    directory: Path,
    quarantine_directory: Path = DEFAULT_DIRECTORY,
    batch_size: int = DEFAULT_BATCH_SIZE,
    now: Optional[datetime] = None,
    report: Optional[Callable[[Summary], None]] = None,
) -> List[Summary]:
    """Ingests every export file found in `directory`; returns one summary per file.

    `report` is called with each file's summary as soon as that file is done.
    """
    summaries = []
    for entity, path in export_files(directory):
        quarantine = default_path(path, path.suffix != formats.CSV_SUFFIX, quarantine_directory)
        summary = ingest_file(engine, entity, path, quarantine, batch_size, now)
        if report is not None:
            report(summary)
        summaries.append(summary)
    return summaries


def load_demo(database_url: str, directory: Path = DEMO_DIRECTORY) -> List[Summary]:
    """Loads the committed demo CRM export into `database_url` (schema must exist)."""
    engine = build_engine(database_url)
    try:
        return load_directory(engine, directory)
    finally:
        engine.dispose()
