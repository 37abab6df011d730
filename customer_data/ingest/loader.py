"""Ingests one export file: read, validate, plan and write in batches, quarantine the rest.

Each batch is one transaction. Should the database still refuse a batch (a constraint the
checks did not foresee, another writer racing this one), the batch is retried row by row and
only the refused rows are quarantined, with the database's reason.
"""

import itertools
import time
from datetime import datetime
from pathlib import Path
from typing import Iterator, List, Optional

from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from customer_data.ingest import formats
from customer_data.ingest.batch import BatchHandler, Candidate, Planned, execute
from customer_data.ingest.entities import SPECS, EntitySpec
from customer_data.ingest.errors import SchemaMissingError, UnknownEntityError
from customer_data.ingest.identity import CustomerHandler
from customer_data.ingest.quarantine import QuarantineFile, default_path
from customer_data.ingest.readers import RowReader, SourceRow
from customer_data.ingest.summary import Summary
from customer_data.ingest.upsert import UpsertHandler
from customer_data.ingest.validation import validate_row

DEFAULT_BATCH_SIZE = 2000


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
        UnknownEntityError, MalformedFileError, SchemaMissingError: nothing was written.

    """
    spec = spec_for(entity)
    require_schema(engine, spec)
    handler = build_handler(spec, now or datetime.utcnow())
    summary = Summary(entity, Path(path))
    started = time.perf_counter()
    with RowReader(Path(path), formats.FILE_COLUMNS[entity]) as reader:
        target = quarantine_path or default_path(Path(path), reader.is_jsonl)
        summary.quarantine_path = Path(target)
        with QuarantineFile(target, reader.header, reader.is_jsonl) as quarantine:
            for rows in _batches(iter(reader), batch_size):
                _ingest_batch(engine, spec, handler, rows, quarantine, summary)
    summary.seconds = time.perf_counter() - started
    return summary


def _batches(rows: Iterator[SourceRow], size: int) -> Iterator[List[SourceRow]]:
    while True:
        batch = list(itertools.islice(rows, size))
        if not batch:
            return
        yield batch


def _validate(spec: EntitySpec, row: SourceRow) -> Candidate:
    if row.problem and not row.fields:
        return Candidate(row, {}, [row.problem])
    values, problems = validate_row(spec.fields, spec.checks, row.fields)
    if row.problem:
        problems.insert(0, row.problem)
    return Candidate(row, values, problems)


def _ingest_batch(
    engine: Engine,
    spec: EntitySpec,
    handler: BatchHandler,
    rows: List[SourceRow],
    quarantine: QuarantineFile,
    summary: Summary,
) -> None:
    candidates = [_validate(spec, row) for row in rows]
    planned: List[Planned] = []
    try:
        with engine.begin() as connection:
            planned = handler.plan(connection, candidates)
            execute(connection, handler.statements, planned)
            summary.merge_candidates.extend(handler.after_write(connection, planned))
    except IntegrityError:
        if not planned:
            raise
        written = _write_one_by_one(engine, handler, planned)
        with engine.begin() as connection:
            summary.merge_candidates.extend(handler.after_write(connection, written))
    summary.read += len(candidates)
    for plan in planned:
        if not plan.candidate.problems:
            setattr(summary, plan.outcome, getattr(summary, plan.outcome) + 1)
    for candidate in candidates:
        if candidate.problems:
            quarantine.write(candidate.source, candidate.problems)
            summary.quarantined += 1


def _write_one_by_one(engine: Engine, handler: BatchHandler, planned: List[Planned]):
    written = []
    for plan in planned:
        try:
            with engine.begin() as connection:
                execute(connection, handler.statements, [plan])
        except IntegrityError as error:
            plan.candidate.problems.append(f"rejected by the database: {error.orig}")
        else:
            written.append(plan)
    return written
