"""Batch look-ups: which referenced customers and orders exist, one IN query per chunk of keys.

Customer references resolve to the master id: a CRM id that identity resolution attached to
another customer (a `crm` identity) refers to that customer.
"""

from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql import ColumnElement

from customer_data import models
from customer_data.ingest.batch import Candidate
from customer_data.ingest.checks import OrderRef

# Keys per IN (...) query: well below every backend's bound-parameter limit.
IN_CHUNK_SIZE = 900
CRM_CHANNEL = "crm"

customers = models.Customer.__table__
identities = models.Identity.__table__
orders = models.Order.__table__


def rows_where_in(
    connection: Connection,
    columns: Sequence[Any],
    column: ColumnElement,
    keys: Iterable[Any],
    *conditions: ColumnElement,
) -> Iterator[Row]:
    """Rows of `columns` whose `column` is one of `keys` (deduplicated, queried in chunks)."""
    unique: List[Any] = list(dict.fromkeys(key for key in keys if key is not None))
    for start in range(0, len(unique), IN_CHUNK_SIZE):
        chunk = unique[start : start + IN_CHUNK_SIZE]
        statement = select(*columns).where(column.in_(chunk), *conditions)
        yield from connection.execute(statement)


def master_ids(connection: Connection, customer_ids: Iterable[str]) -> Dict[str, str]:
    """Maps each known customer id to its master id (itself, or the customer it was merged into)."""
    wanted = list(dict.fromkeys(customer_ids))
    found = {
        row.id: row.id
        for row in rows_where_in(connection, [customers.c.id], customers.c.id, wanted)
    }
    missing = [customer_id for customer_id in wanted if customer_id not in found]
    for row in rows_where_in(
        connection,
        [identities.c.external_id, identities.c.customer_id],
        identities.c.external_id,
        missing,
        identities.c.channel == CRM_CHANNEL,
    ):
        found[row.external_id] = row.customer_id
    return found


def order_refs(connection: Connection, order_ids: Iterable[str]) -> Dict[str, OrderRef]:
    """The customer, currency and total of each existing order among `order_ids`."""
    columns = [orders.c.id, orders.c.customer_id, orders.c.currency, orders.c.total_amount]
    return {
        row.id: OrderRef(row.customer_id, row.currency, row.total_amount)
        for row in rows_where_in(connection, columns, orders.c.id, order_ids)
    }


def resolve(
    connection: Connection,
    candidates: List[Candidate],
    customer_field: Optional[str],
    order_field: Optional[str],
    order_checks: Sequence[Any] = (),
) -> None:
    """Replaces customer references by master ids; adds a problem for every unknown reference."""
    if customer_field:
        masters = master_ids(
            connection,
            (c.values.get(customer_field) for c in candidates if c.values.get(customer_field)),
        )
        for candidate in candidates:
            reference = candidate.values.get(customer_field)
            if reference is None:
                continue
            master = masters.get(reference)
            if master is None:
                candidate.problems.append(f"{customer_field}: unknown customer {reference}")
                del candidate.values[customer_field]  # nothing further to compare it with
            else:
                candidate.values[customer_field] = master
    if order_field:
        known = order_refs(
            connection, (c.values.get(order_field) for c in candidates if c.values.get(order_field))
        )
        for candidate in candidates:
            reference = candidate.values.get(order_field)
            if reference is None:
                continue
            order = known.get(reference)
            if order is None:
                candidate.problems.append(f"{order_field}: unknown order {reference}")
                continue
            for check in order_checks:
                candidate.problems.extend(check(candidate.values, order))
