"""Ingests one export file: read, validate, plan and write in batches, quarantine the rest.

Each batch is one transaction. Should the database still refuse a batch (a constraint the
checks did not foresee, another writer racing this one), the batch is retried row by row and
only the refused rows are quarantined, with the database's reason.
"""

import gc
import itertools
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from customer_data.ingest import formats
from customer_data.ingest.batch import BatchHandler, Candidate, Planned
from customer_data.ingest.bulk import BulkExecutor
from customer_data.ingest.entities import SPECS, EntitySpec
from customer_data.ingest.errors import SchemaMissingError, UnknownEntityError
from customer_data.ingest.identity import CustomerHandler
from customer_data.ingest.quarantine import QuarantineFile, default_path
from customer_data.ingest.readers import RowReader, SourceRow
from customer_data.ingest.summary import Summary
from customer_data.ingest.upsert import UpsertHandler
from customer_data.ingest.validation import RowValidator

DEFAULT_BATCH_SIZE = 2000
# Allocations between young-generation collections while loading (CPython's default is 700).
BULK_GC_THRESHOLDS: Tuple[int, int, int] = (20_000, 50, 50)


def spec_for(entity: str) -> EntitySpec:
    """The spec of `entity`, or UnknownEntityError naming the known ones."""
    try:
        return SPECS[entity]
    except KeyError:
        raise UnknownEntityError(
            f"unknown entity {entity!r}; expected one of {', '.join(formats.LOAD_ORDER)}"
        ) from None


def build_handler(spec: EntitySpec, now: datetime) -> BatchHandler:
    """The handler for `spec`'s rows (customers need identity resolution)."""
    if spec.name == formats.CUSTOMERS:
        return CustomerHandler(spec, now)
    return UpsertHandler(spec, now)


def require_schema(engine: Engine, spec: EntitySpec) -> None:
    """Raises SchemaMissingError when the tables the ingest writes to do not exist."""
    inspector = inspect(engine)
    missing = [name for name in (spec.table.name, "customers") if not inspector.has_table(name)]
    if missing:
        raise SchemaMissingError(
            f"table {missing[0]} does not exist in {engine.url!r}; "
            "create the schema first: python -m customer_data.migrate upgrade"
        )


def ingest_file(
    engine: Engine,
    entity: str,
    path: Path,
    quarantine_path: Optional[Path] = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    now: Optional[datetime] = None,
) -> Summary:
    """Loads `path` (CSV or JSON lines) into `entity`'s table and returns what happened.

    Raises:
        UnknownEntityError, SchemaMissingError: nothing was written.
        MalformedFileError: the file is unusable; found in the header, nothing was written;
            found further down (bytes that are not UTF-8), the batches before were written.

    """
    spec = spec_for(entity)
    require_schema(engine, spec)
    handler = build_handler(spec, now or datetime.utcnow())
    executor = BulkExecutor(handler.statements)
    validator = RowValidator(spec.fields, spec.checks)
    summary = Summary(entity, Path(path))
    started = time.perf_counter()
    with _bulk_gc(), RowReader(Path(path), formats.FILE_COLUMNS[entity]) as reader:
        target = quarantine_path or default_path(Path(path), reader.is_jsonl)
        summary.quarantine_path = Path(target)
        with QuarantineFile(target, reader.header, reader.is_jsonl) as quarantine:
            for rows in _batches(iter(reader), batch_size):
                _ingest_batch(engine, validator, handler, executor, rows, quarantine, summary)
        with engine.begin() as connection:
            summary.merge_candidates.extend(handler.finish(connection))
    summary.seconds = time.perf_counter() - started
    return summary


@contextmanager
def _bulk_gc() -> Iterator[None]:
    """Fewer, cheaper garbage collections while a file loads (restored afterwards).

    A batch allocates hundreds of thousands of short-lived containers; with the default
    thresholds the collector ran so often that it took a fifth of the load time. Freezing moves
    the objects that existed before the load out of the collector's sight.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*BULK_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _batches(rows: Iterator[SourceRow], size: int) -> Iterator[List[SourceRow]]:
    while True:
        batch = list(itertools.islice(rows, size))
        if not batch:
            return
        yield batch


def _validate(validator: RowValidator, row: SourceRow) -> Candidate:
    if row.problem and not row.fields:
        return Candidate(row, {}, [row.problem])
    values, problems = validator(row.fields)
    if row.problem:
        problems.insert(0, row.problem)
    return Candidate(row, values, problems)


def _ingest_batch(
    engine: Engine,
    validator: RowValidator,
    handler: BatchHandler,
    executor: BulkExecutor,
    rows: List[SourceRow],
    quarantine: QuarantineFile,
    summary: Summary,
) -> None:
    candidates = [_validate(validator, row) for row in rows]
    planned: List[Planned] = []
    try:
        with engine.begin() as connection:
            planned = handler.plan(connection, candidates)
            executor.execute(connection, planned)
    except IntegrityError:
        if not planned:
            raise
        _write_one_by_one(engine, executor, planned)
    summary.read += len(candidates)
    for plan in planned:
        if not plan.candidate.problems:
            setattr(summary, plan.outcome, getattr(summary, plan.outcome) + 1)
    for candidate in candidates:
        if candidate.problems:
            quarantine.write(candidate.source, candidate.problems)
            summary.quarantined += 1


def _write_one_by_one(engine: Engine, executor: BulkExecutor, planned: List[Planned]) -> None:
    for plan in planned:
        try:
            with engine.begin() as connection:
                executor.execute(connection, [plan])
        except IntegrityError as error:
            plan.candidate.problems.append(f"rejected by the database: {error.orig}")
