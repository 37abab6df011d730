"""Behaviour features per customer, aggregated in SQL and streamed in chunks of customers.

The database does the counting (GROUP BY per table, restricted to one key range of customers at a
time), so memory grows with the number of customers times the number of features, never with the
number of orders or tickets, and no ORM object is built per row. Only events up to `as_of` count:
features as of a past date are reproducible.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Dict, Iterator, List, Sequence, Tuple

import numpy as np
from sqlalchemy import Float, case, cast, extract, func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from customer_data.models import (
    TICKET_CATEGORIES,
    TICKET_CHANNELS,
    Customer,
    Interaction,
    Order,
    Refund,
    Ticket,
)
from customer_data.profiles import SPEND_ORDER_STATUSES
from insights.errors import InsightsError, UnsupportedDatabaseError

# Fixed conversion to one currency (EUR per unit), so spend across countries is comparable. A
# fixed table keeps features reproducible; revise it yearly, not per run.
EUR_PER_UNIT = {
    "EUR": 1.0,
    "GBP": 1.17,
    "USD": 0.92,
    "CHF": 1.05,
    "SEK": 0.087,
    "NOK": 0.085,
    "DKK": 0.134,
    "PLN": 0.23,
}

CHANNELS = TICKET_CHANNELS  # interactions use the same channel names
TICKET_RATE_DAYS = 90  # tickets are counted per this many days of tenure
# A customer of a few days with one ticket is not "90 tickets a quarter": tenure counts as at
# least this long in the ticket rate.
TICKET_RATE_MIN_TENURE_DAYS = 30
DEFAULT_CHUNK_SIZE = 20_000
UNIX_EPOCH_JULIAN_DAY = 2440587.5
SECONDS_PER_DAY = 86400.0

CATEGORY_FEATURES = tuple(f"share_{category}" for category in TICKET_CATEGORIES)
CHANNEL_FEATURES = tuple(f"channel_{channel}" for channel in CHANNELS)
FEATURE_NAMES: Tuple[str, ...] = (
    "recency_days",  # since the last order; since sign-up when there is none
    "frequency",  # orders placed (any status)
    "monetary_eur",  # spend on orders that weren't cancelled or returned, in EUR
    "tenure_days",
    "avg_order_value_eur",  # missing without spend orders
    "refund_rate",  # refunds per order; missing without orders
    "tickets_per_90_days",
    "avg_resolution_hours",  # of resolved tickets; missing without one
    "days_since_last_interaction",  # interactions and tickets; missing without either
    *CATEGORY_FEATURES,
    *CHANNEL_FEATURES,  # one-hot preferred channel (interactions + tickets); all 0 when none
)

_customers, _orders, _refunds = Customer.__table__, Order.__table__, Refund.__table__
_tickets, _interactions = Ticket.__table__, Interaction.__table__


@dataclass
class FeatureMatrix:
    """One row of features per customer; NaN marks a value the data can't give."""

    customer_ids: np.ndarray  # str, row order
    values: np.ndarray  # float64, shape (customers, len(names))
    names: Tuple[str, ...] = FEATURE_NAMES

    def __len__(self) -> int:
        return len(self.customer_ids)

    def column(self, name: str) -> np.ndarray:
        """The values of feature `name` (a view)."""
        return self.values[:, self.names.index(name)]


def epoch_days(column, dialect: str):
    """SQL for days since 1970-01-01 of a datetime column, as a float, in `dialect`."""
    if dialect == "sqlite":
        return func.julianday(column) - UNIX_EPOCH_JULIAN_DAY
    if dialect == "postgresql":
        return extract("epoch", column) / SECONDS_PER_DAY
    raise UnsupportedDatabaseError(f"segmentation supports SQLite and PostgreSQL, not {dialect}")


def to_epoch_days(moment: datetime) -> float:
    """Days since 1970-01-01 of a naive UTC datetime."""
    return (moment - datetime(1970, 1, 1)).total_seconds() / SECONDS_PER_DAY


def _counts(column, values: Sequence[str]) -> List:
    return [func.sum(case((column == value, 1), else_=0)) for value in values]


def _queries(dialect: str, as_of: datetime) -> Dict[str, object]:
    """The per-table aggregate queries; each is bound to a customer id range `lo`..`hi`."""
    days = lambda column: epoch_days(column, dialect)  # noqa: E731
    spend = _orders.c.status.in_(SPEND_ORDER_STATUSES)
    eur = case(
        *[(_orders.c.currency == code, rate) for code, rate in EUR_PER_UNIT.items()], else_=None
    )

    def ranged(query, table, at_column):
        return lambda lo, hi: query.where(
            table.c.customer_id.between(lo, hi), at_column <= as_of
        ).group_by(table.c.customer_id)

    resolved = _tickets.c.resolved_at <= as_of
    return {
        "orders": ranged(
            select(
                _orders.c.customer_id,
                func.count(),
                func.sum(case((spend, 1), else_=0)),
                func.sum(case((spend, cast(_orders.c.total_amount, Float) * eur), else_=0.0)),
                days(func.max(_orders.c.placed_at)),
            ),
            _orders,
            _orders.c.placed_at,
        ),
        "refunds": ranged(
            select(_refunds.c.customer_id, func.count()), _refunds, _refunds.c.requested_at
        ),
        "tickets": ranged(
            select(
                _tickets.c.customer_id,
                func.count(),
                func.avg(
                    case((resolved, days(_tickets.c.resolved_at) - days(_tickets.c.opened_at)))
                ),
                days(func.max(_tickets.c.opened_at)),
                *_counts(_tickets.c.category, TICKET_CATEGORIES),
                *_counts(_tickets.c.channel, CHANNELS),
            ),
            _tickets,
            _tickets.c.opened_at,
        ),
        "interactions": ranged(
            select(
                _interactions.c.customer_id,
                days(func.max(_interactions.c.at)),
                *_counts(_interactions.c.channel, CHANNELS),
            ),
            _interactions,
            _interactions.c.at,
        ),
    }


def _aggregate(connection: Connection, query, positions: Dict[str, int], width: int) -> np.ndarray:
    """The query's columns after the customer id, one row per chunk position (0 when absent)."""
    out = np.zeros((len(positions), width))
    rows = connection.execute(query).all()
    if rows:
        index = np.fromiter((positions[row[0]] for row in rows), dtype=np.int64, count=len(rows))
        out[index] = np.array([tuple(row)[1:] for row in rows], dtype=float)
    return out


def _chunk_features(
    connection: Connection, queries, ids: List[str], created: np.ndarray, now: float
) -> np.ndarray:
    positions = {customer_id: i for i, customer_id in enumerate(ids)}
    lo, hi = ids[0], ids[-1]
    orders = _aggregate(connection, queries["orders"](lo, hi), positions, 4)
    refunds = _aggregate(connection, queries["refunds"](lo, hi), positions, 1)[:, 0]
    tickets = _aggregate(connection, queries["tickets"](lo, hi), positions, 3 + 8 + 5)
    contacts = _aggregate(connection, queries["interactions"](lo, hi), positions, 1 + 5)
    n_orders, spend_orders, spend, last_order = orders.T
    n_tickets, resolution_days, last_ticket = tickets[:, 0], tickets[:, 1], tickets[:, 2]
    category_counts = tickets[:, 3 : 3 + len(TICKET_CATEGORIES)]
    channel_counts = tickets[:, 3 + len(TICKET_CATEGORIES) :] + contacts[:, 1:]
    tenure = now - created
    has_tickets = n_tickets > 0
    last_contact = np.maximum(np.where(has_tickets, last_ticket, 0), contacts[:, 0])
    with np.errstate(divide="ignore", invalid="ignore"):
        columns = [
            now - np.where(n_orders > 0, last_order, created),
            n_orders,
            spend,
            tenure,
            np.where(spend_orders > 0, spend / spend_orders, np.nan),
            np.where(n_orders > 0, refunds / n_orders, np.nan),
            n_tickets / np.maximum(tenure, TICKET_RATE_MIN_TENURE_DAYS) * TICKET_RATE_DAYS,
            np.where(has_tickets, resolution_days * 24, np.nan),
            np.where(last_contact > 0, now - last_contact, np.nan),
        ]
        shares = np.where(has_tickets[:, None], category_counts / n_tickets[:, None], 0.0)
    # Ties go to the first channel in CHANNELS, so the choice is deterministic.
    preferred = np.zeros_like(channel_counts)
    has_channel = channel_counts.sum(axis=1) > 0
    preferred[has_channel, channel_counts[has_channel].argmax(axis=1)] = 1.0
    return np.column_stack(columns + [shares, preferred])


def iter_feature_chunks(
    engine: Engine, as_of: datetime, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> Iterator[FeatureMatrix]:
    """Features of the customers created up to `as_of`, `chunk_size` customers at a time.

    Raises:
        InsightsError: when the schema is missing (database not migrated) or the dialect is
            not supported.

    """
    dialect = engine.dialect.name
    queries = _queries(dialect, as_of)
    now = to_epoch_days(as_of)
    customers = select(_customers.c.id, epoch_days(_customers.c.created_at, dialect)).where(
        _customers.c.created_at <= as_of
    )
    after = None
    try:
        with engine.connect() as connection:
            while True:
                page = customers if after is None else customers.where(_customers.c.id > after)
                rows = connection.execute(page.order_by(_customers.c.id).limit(chunk_size)).all()
                if not rows:
                    return
                ids = [row[0] for row in rows]
                created = np.array([row[1] for row in rows], dtype=float)
                values = _chunk_features(connection, queries, ids, created, now)
                yield FeatureMatrix(np.array(ids), values)
                after = ids[-1]
    except (OperationalError, ProgrammingError) as error:
        raise InsightsError(
            f"cannot read customer data ({error.orig}); is the database migrated? "
            "Run: python -m customer_data.migrate upgrade"
        ) from error


def featurize(
    engine: Engine, as_of: datetime, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> FeatureMatrix:
    """All customers' features as one matrix (see `iter_feature_chunks`)."""
    chunks = list(iter_feature_chunks(engine, as_of, chunk_size))
    if not chunks:
        return FeatureMatrix(np.array([], dtype=str), np.empty((0, len(FEATURE_NAMES))))
    return FeatureMatrix(
        np.concatenate([chunk.customer_ids for chunk in chunks]),
        np.concatenate([chunk.values for chunk in chunks]),
    )
