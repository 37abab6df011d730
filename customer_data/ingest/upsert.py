"""The idempotent upsert of every entity except customers (which need identity resolution).

Per batch: resolve references, read the existing rows of the batch's keys with one IN query per
chunk, then insert new rows, update changed ones and leave identical ones untouched.
"""

from datetime import datetime
from operator import itemgetter
from typing import Any, Dict, List, Mapping, Optional, Set, Tuple

from sqlalchemy import bindparam
from sqlalchemy.engine import Connection

from customer_data.ingest import formats, references
from customer_data.ingest.batch import (
    DUPLICATE_KEY_CONFLICT,
    LOADED,
    UNCHANGED,
    UPDATED,
    BatchHandler,
    Candidate,
    Operation,
    Planned,
    Statement,
)
from customer_data.ingest.entities import EntitySpec
from customer_data.ingest.history import OrderHistory
from customer_data.ingest.validation import Values, stored_columns

INSERT = "insert"
UPDATE = "update"
UPDATED_AT = "updated_at"
PRIMARY_KEY_PARAMETER = "_pk"


class UpsertHandler(BatchHandler):
    """Plans inserts and updates of one entity, keyed by its business key."""

    def __init__(self, spec: EntitySpec, now: datetime) -> None:
        """Handles rows of `spec`; `now` stamps `updated_at` where the table has one."""
        self.spec = spec
        self.now = now
        table = spec.table
        self.columns = stored_columns(spec.fields)
        self.stamps = UPDATED_AT in table.c
        written = tuple(column for _, column in self.columns)
        written += (UPDATED_AT,) if self.stamps else ()
        self._row_values = itemgetter(*(name for name, _ in self.columns))
        self.key_columns = tuple(
            field.target for name in spec.key for field in spec.fields if field.name == name
        )
        lookup = next(field for field in spec.fields if field.name == spec.lookup)
        self.lookup_column = table.c[lookup.target]
        self.history: Optional[OrderHistory] = (
            OrderHistory() if spec.name == formats.ORDERS else None
        )
        self.statements = (
            Statement(INSERT, table.insert(), written),
            Statement(
                UPDATE,
                table.update().where(table.c.id == bindparam(PRIMARY_KEY_PARAMETER)),
                (*written, PRIMARY_KEY_PARAMETER),
            ),
            *(self.history.statements if self.history else ()),
        )
        # hash() of every key written or confirmed in this file: a later row with the same key
        # but other values is a conflict, not an update (re-runs would otherwise flip-flop).
        self._seen: Set[int] = set()

    def plan(self, connection: Connection, candidates: List[Candidate]) -> List[Planned]:
        spec = self.spec
        references.resolve(
            connection, candidates, spec.customer_ref, spec.order_ref, spec.order_checks
        )
        valid = [candidate for candidate in candidates if not candidate.problems]
        existing = self._existing(connection, valid)
        stored_history = (
            self.history.fetch(connection, (key[0] for key in existing)) if self.history else {}
        )
        pending: Dict[Tuple, Values] = {}
        planned: List[Planned] = []
        for candidate in valid:
            values = candidate.values
            key = spec.key_of(values)
            marker = hash(key)
            if key in pending:
                if self._same_values(pending[key], values):
                    planned.append(Planned(candidate, UNCHANGED))
                else:
                    candidate.problems.append(DUPLICATE_KEY_CONFLICT)
                continue
            current = existing.get(key)
            if current is None:
                planned.append(Planned(candidate, LOADED, self._insert(key, values)))
                pending[key] = values
            elif self._same_row(current, key, values, stored_history):
                planned.append(Planned(candidate, UNCHANGED))
            elif marker in self._seen:
                candidate.problems.append(DUPLICATE_KEY_CONFLICT)
                continue
            else:
                planned.append(Planned(candidate, UPDATED, self._update(current, key, values)))
                pending[key] = values
            self._seen.add(marker)
        return planned

    def _existing(self, connection: Connection, valid: List[Candidate]) -> Dict[Tuple, Mapping]:
        table = self.spec.table
        rows = references.rows_where_in(
            connection,
            [table],
            self.lookup_column,
            (candidate.values[self.spec.lookup] for candidate in valid),
        )
        found = {}
        for row in rows:
            mapping = row._mapping
            found[tuple(mapping[column] for column in self.key_columns)] = mapping
        return found

    def _same_row(
        self, current: Mapping, key: Tuple, values: Values, stored_history: Dict[str, Any]
    ) -> bool:
        if any(current[column] != values[name] for name, column in self.columns):
            return False
        return self.history is None or self.history.same(stored_history, key[0], values)

    def _same_values(self, first: Values, second: Values) -> bool:
        return all(first[field.name] == second[field.name] for field in self.spec.fields)

    def _parameters(self, values: Values) -> Tuple[Any, ...]:
        row = self._row_values(values)
        if len(self.columns) == 1:
            row = (row,)
        return (*row, self.now) if self.stamps else row

    def _insert(self, key: Tuple, values: Values) -> List[Operation]:
        operations: List[Operation] = [(INSERT, self._parameters(values))]
        if self.history:
            operations.extend(self.history.operations(key[0], values, is_new=True))
        return operations

    def _update(self, current: Mapping, key: Tuple, values: Values) -> List[Operation]:
        operations: List[Operation] = [(UPDATE, (*self._parameters(values), current["id"]))]
        if self.history:
            operations.extend(self.history.operations(key[0], values, is_new=False))
        return operations
