"""Executes a batch's planned operations: one executemany per statement, in statement order.

Each Core statement is compiled once by SQLAlchemy for the connection's dialect, and values are
converted by the column types' own bind processors; the rows then go to the driver's
executemany in one call. This skips SQLAlchemy's per-row parameter handling, which cost more
than SQLite's inserts themselves on large files.
"""

from datetime import date, datetime
from operator import itemgetter
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from sqlalchemy.engine import Connection

from customer_data.ingest.batch import Planned, Statement

_DATETIME_PROBES = (datetime(2026, 1, 2, 3, 4, 5), datetime(2026, 1, 2, 3, 4, 5, 678901))
_DATE_PROBE = date(2026, 1, 2)


class BulkExecutor:
    """Runs the operations of planned rows against one connection at a time."""

    def __init__(self, statements: Sequence[Statement]) -> None:
        """Executes `statements` for the operations that name them."""
        self.statements = tuple(statements)
        self._prepared: Dict[Tuple[str, str], Tuple] = {}

    def execute(self, connection: Connection, planned: Sequence[Planned]) -> None:
        """Executes every operation of `planned`, grouped by statement."""
        grouped: Dict[str, List[Tuple[Any, ...]]] = {
            statement.name: [] for statement in self.statements
        }
        for plan in planned:
            for name, values in plan.operations:
                grouped[name].append(values)
        for statement in self.statements:
            rows: List[Any] = grouped[statement.name]
            if not rows:
                continue
            sql, names, reorder, converters = self._prepare(connection, statement)
            if reorder is not None:
                rows = list(map(reorder, rows))
            if converters:
                # Convert column by column: map() and zip() keep the per-row loop in C.
                columns: List[Any] = list(zip(*rows, strict=True))
                for index, convert in converters:
                    columns[index] = map(convert, columns[index])
                rows = list(zip(*columns, strict=True))
            if names is not None:  # a named paramstyle (psycopg2, ...)
                rows = [dict(zip(names, row, strict=True)) for row in rows]
            connection.exec_driver_sql(sql, rows)

    def _prepare(self, connection: Connection, statement: Statement) -> Tuple:
        dialect = connection.dialect
        cache_key = (dialect.name, statement.name)
        prepared = self._prepared.get(cache_key)
        if prepared is None:
            compiled = statement.sql.compile(dialect=dialect, column_keys=list(statement.columns))
            positional = compiled.positiontup is not None
            binds = list(compiled.positiontup if positional else compiled.binds)
            order = [statement.columns.index(bind) for bind in binds]
            reorder = None
            if order != list(range(len(statement.columns))):
                reorder = itemgetter(*order) if len(order) > 1 else _single(order[0])
            converters = []
            for index, bind in enumerate(binds):
                bind_type = compiled.binds[bind].type.dialect_impl(dialect)
                convert = bind_type.bind_processor(dialect)
                if convert is not None:
                    converters.append((index, _faster(convert, bind_type)))
            prepared = (str(compiled), None if positional else binds, reorder, tuple(converters))
            self._prepared[cache_key] = prepared
        return prepared


def _single(index: int) -> Callable[[Tuple], Tuple]:
    return lambda row: (row[index],)


def _faster(convert: Callable[[Any], Any], bind_type: Any) -> Callable[[Any], Any]:
    """`isoformat` (in C) instead of a type's Python bind processor when both write the same.

    SQLite stores datetimes as text; SQLAlchemy's processor formats them with `%`, three times
    slower than `datetime.isoformat`. The substitute is only used when it produces identical
    text for the probes, so another dialect or storage format keeps its own processor.
    """
    try:
        python_type = bind_type.python_type
    except NotImplementedError:
        return convert
    if python_type is datetime and all(
        convert(probe) == probe.isoformat(" ", "microseconds") for probe in _DATETIME_PROBES
    ):
        return _iso_datetime
    if python_type is date and convert(_DATE_PROBE) == _DATE_PROBE.isoformat():
        return _iso_date
    return convert


def _iso_datetime(value: Optional[datetime]) -> Optional[str]:
    return None if value is None else value.isoformat(" ", "microseconds")


def _iso_date(value: Optional[date]) -> Optional[str]:
    return None if value is None else value.isoformat()
