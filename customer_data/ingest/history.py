"""An order's status history: the `status_history` column of orders.csv, kept in its own table."""

import itertools
from operator import itemgetter
from typing import Dict, Iterable, List, Tuple

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from customer_data import models
from customer_data.ingest.batch import Operation, Statement
from customer_data.ingest.references import IN_CHUNK_SIZE
from customer_data.ingest.validation import Values

HISTORY_FIELD = "status_history"
HISTORY_SOURCE = "crm"  # `source` of the events an import writes
DELETE = "history_delete"
INSERT = "history_insert"

events = models.OrderStatusEvent.__table__
History = Tuple[Tuple[str, object], ...]


class OrderHistory:
    """Compares and rewrites the status events of imported orders."""

    statements = (
        Statement(
            DELETE,
            events.delete().where(events.c.order_id == bindparam("_order_id")),
            ("_order_id",),
        ),
        Statement(INSERT, events.insert(), ("order_id", "status", "at", "source")),
    )

    def fetch(self, connection: Connection, order_ids: Iterable[str]) -> Dict[str, History]:
        """The stored history of each order among `order_ids` (orders without one are absent)."""
        wanted = list(order_ids)
        found: Dict[str, History] = {}
        for start in range(0, len(wanted), IN_CHUNK_SIZE):
            rows = connection.execute(
                select(events.c.order_id, events.c.status, events.c.at)
                .where(events.c.order_id.in_(wanted[start : start + IN_CHUNK_SIZE]))
                .order_by(events.c.order_id, events.c.at, events.c.id)
            )
            for order_id, group in itertools.groupby(rows, key=itemgetter(0)):
                found[order_id] = tuple((status, at) for _, status, at in group)
        return found

    def same(self, stored: Dict[str, History], order_id: str, values: Values) -> bool:
        """Whether the row's history equals the stored one."""
        return stored.get(order_id, ()) == tuple(values.get(HISTORY_FIELD) or ())

    def operations(self, order_id: str, values: Values, is_new: bool) -> List[Operation]:
        """Statements that make the stored history equal to the row's."""
        inserts: List[Operation] = [
            (INSERT, (order_id, status, at, HISTORY_SOURCE))
            for status, at in values.get(HISTORY_FIELD) or ()
        ]
        return inserts if is_new else [(DELETE, (order_id,)), *inserts]
