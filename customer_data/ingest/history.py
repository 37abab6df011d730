"""An order's status history: the `status_history` column of orders.csv, kept in its own table."""

from typing import Dict, Iterable, List, Tuple

from sqlalchemy import bindparam
from sqlalchemy.engine import Connection

from customer_data import models
from customer_data.ingest.batch import Operation
from customer_data.ingest.references import rows_where_in
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
        (DELETE, events.delete().where(events.c.order_id == bindparam("_order_id"))),
        (INSERT, events.insert()),
    )

    def fetch(self, connection: Connection, order_ids: Iterable[str]) -> Dict[str, History]:
        """The stored history of each order among `order_ids` (orders without one are absent)."""
        found: Dict[str, List[Tuple[str, object]]] = {}
        rows = rows_where_in(
            connection,
            [events.c.order_id, events.c.status, events.c.at, events.c.id],
            events.c.order_id,
            order_ids,
        )
        for row in sorted(rows, key=lambda row: (row.order_id, row.at, row.id)):
            found.setdefault(row.order_id, []).append((row.status, row.at))
        return {order_id: tuple(history) for order_id, history in found.items()}

    def same(self, stored: Dict[str, History], order_id: str, values: Values) -> bool:
        """Whether the row's history equals the stored one."""
        return stored.get(order_id, ()) == tuple(values.get(HISTORY_FIELD) or ())

    def operations(self, order_id: str, values: Values, is_new: bool) -> List[Operation]:
        """Statements that make the stored history equal to the row's."""
        operations: List[Operation] = [] if is_new else [(DELETE, {"_order_id": order_id})]
        operations.extend(
            (INSERT, {"order_id": order_id, "status": status, "at": at, "source": HISTORY_SOURCE})
            for status, at in values.get(HISTORY_FIELD) or ()
        )
        return operations
