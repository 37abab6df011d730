"""A synthetic shop with planted behaviour groups, bulk-loaded straight into SQLite tables.

For tests (does segmentation find the groups?) and the scale benchmark (a million customers in
about a minute, where the demo generator plus ingest would take far longer). Rows are drawn with
numpy per table and written with the driver's executemany; the people are placeholders.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Dict, Iterator, List, Sequence, Tuple

import numpy as np
from sqlalchemy.engine import Connection, Engine

from customer_data.models import TICKET_CATEGORIES
from insights.errors import UnsupportedDatabaseError
from insights.features import CHANNELS, EUR_PER_UNIT

# Planted group -> the persona segmentation should give it.
PLANTED_PERSONAS: Dict[str, str] = {
    "high_spender": "high_value",
    "lapsed": "at_risk",
    "newcomer": "new",
    "heavy_support": "frequent_support",
    "regular": "standard",
}
GROUPS = tuple(PLANTED_PERSONAS)
GROUP_SHARES = (0.15, 0.15, 0.15, 0.15, 0.40)
INSERT_BATCH = 50_000
DAY_SECONDS = 86400


@dataclass(frozen=True)
class GroupBehaviour:
    """How one planted group behaves (days, orders, EUR, tickets)."""

    tenure: Tuple[float, float]  # uniform range, days
    extra_orders: float  # Poisson mean on top of one order
    order_eur: float  # lognormal median
    quiet_days: float  # no orders in the last this many days
    tickets_per_90_days: float


BEHAVIOUR = {
    "high_spender": GroupBehaviour((400, 1500), 10, 150, 0, 0.05),
    "lapsed": GroupBehaviour((1000, 1500), 4, 40, 600, 0.05),
    "newcomer": GroupBehaviour((3, 45), 0.3, 40, 0, 0.05),
    "heavy_support": GroupBehaviour((400, 1500), 6, 40, 0, 2.0),
    "regular": GroupBehaviour((400, 1500), 6, 40, 0, 0.05),
}


def _stamps(as_of: datetime, days_before: np.ndarray) -> List[str]:
    """SQLAlchemy's SQLite datetime text for `as_of` minus fractional days."""
    seconds = np.datetime64(as_of, "s") - (days_before * DAY_SECONDS).astype("timedelta64[s]")
    text = np.char.replace(np.datetime_as_string(seconds, unit="s"), "T", " ")
    return np.char.add(text, ".000000").tolist()


def _batches(rows: Sequence[tuple]) -> Iterator[Sequence[tuple]]:
    for start in range(0, len(rows), INSERT_BATCH):
        yield rows[start : start + INSERT_BATCH]


def _insert(connection: Connection, table: str, columns: str, rows: List[tuple]) -> int:
    marks = ",".join("?" * len(columns.split(",")))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - constant names
    for batch in _batches(rows):
        connection.exec_driver_sql(sql, batch)
    return len(rows)


def _draw_groups(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.choice(len(GROUPS), size=n, p=GROUP_SHARES)


def _child_ids(prefix: str, numbers: np.ndarray, per_parent: np.ndarray) -> np.ndarray:
    """`<prefix><customer number>-<n>` ids for rows repeated per customer (unique per shop)."""
    owner = np.repeat(np.arange(len(per_parent)), per_parent)
    starts = np.concatenate(([0], np.cumsum(per_parent)[:-1]))
    within = (np.arange(len(owner)) - starts[owner]).astype(str)
    return np.char.add(np.char.add(prefix, numbers[owner].astype(str)), np.char.add("-", within))


def load_synthetic_shop(
    engine: Engine, customers: int, seed: int, as_of: datetime, first: int = 1
) -> Tuple[np.ndarray, np.ndarray, Dict[str, int]]:
    """Writes `customers` customers (numbered from `first`) with orders, tickets and the rest.

    Call it again with a later `first` to add more customers in bounded memory.

    Returns the customer ids, each one's planted group name and the rows written per table.

    Raises:
        UnsupportedDatabaseError: for anything but SQLite (the loader writes driver SQL).

    """
    if engine.dialect.name != "sqlite":
        raise UnsupportedDatabaseError("the synthetic loader writes SQLite only")
    rng = np.random.default_rng((seed, first))
    group = _draw_groups(customers, rng)
    numbers = np.arange(first, first + customers)
    ids = np.char.add("C", np.char.zfill(numbers.astype(str), 8))
    behaviour = [BEHAVIOUR[name] for name in GROUPS]
    pick = lambda attribute: np.array([getattr(b, attribute) for b in behaviour])[group]  # noqa: E731
    low, high = np.array([b.tenure for b in behaviour]).T
    tenure = rng.uniform(low[group], high[group])
    currency = rng.choice(list(EUR_PER_UNIT), size=customers)
    counts = {}
    with engine.begin() as connection:
        created = _stamps(as_of, tenure)
        counts["customers"] = _insert(
            connection,
            "customers",
            "id,name,email,country,created_at,tier,updated_at",
            list(zip(ids.tolist(), ids.tolist(), np.char.add(ids, "@example.com").tolist(),
                     ["DE"] * customers, created, ["bronze"] * customers, created, strict=True)),
        )  # fmt: skip
        # Orders: one plus Poisson, spread over the customer's active window.
        n_orders = 1 + rng.poisson(pick("extra_orders"))
        owner = np.repeat(np.arange(customers), n_orders)
        quiet = np.minimum(pick("quiet_days"), tenure * 0.9)[owner]
        days_ago = quiet + rng.uniform(0, 1, len(owner)) * (tenure[owner] - quiet)
        eur = rng.lognormal(np.log(pick("order_eur")[owner]), 0.4)
        rate = np.array([EUR_PER_UNIT[c] for c in currency[owner]])
        order_ids = _child_ids("O", numbers, n_orders)
        placed = _stamps(as_of, days_ago)
        counts["orders"] = _insert(
            connection,
            "orders",
            "id,customer_id,status,placed_at,currency,total_amount,shipping_address,updated_at",
            list(zip(order_ids.tolist(), ids[owner].tolist(), ["delivered"] * len(owner), placed,
                     currency[owner].tolist(), np.round(eur / rate, 2).tolist(),
                     ["1 Example Street"] * len(owner), placed, strict=True)),
        )  # fmt: skip
        # Refunds: about one order in fifty, against the customer's first order.
        first_order = np.concatenate(([0], np.cumsum(n_orders)[:-1]))
        refunded = rng.binomial(n_orders, 0.02)
        r_owner = np.repeat(np.arange(customers), refunded)
        r_order = first_order[r_owner]
        requested = _stamps(as_of, days_ago[r_order] * 0.9)
        counts["refunds"] = _insert(
            connection,
            "refunds",
            "id,order_id,customer_id,amount,currency,status,requested_at",
            list(zip(_child_ids("R", numbers, refunded).tolist(),
                     order_ids[r_order].tolist(), ids[r_owner].tolist(), [5.0] * len(r_owner),
                     currency[r_owner].tolist(), ["paid"] * len(r_owner), requested, strict=True)),
        )  # fmt: skip
        # Tickets at the group's rate over the tenure; each customer prefers one channel.
        preferred = rng.integers(0, len(CHANNELS), customers)
        n_tickets = rng.poisson(pick("tickets_per_90_days") * tenure / 90)
        t_owner = np.repeat(np.arange(customers), n_tickets)
        opened_ago = rng.uniform(0, 1, len(t_owner)) * tenure[t_owner]
        hours = np.minimum(rng.lognormal(np.log(8), 0.8, len(t_owner)), opened_ago * 24 * 0.9)
        channel = np.where(
            rng.uniform(size=len(t_owner)) < 0.8,
            preferred[t_owner],
            rng.integers(0, len(CHANNELS), len(t_owner)),
        )
        opened, resolved = _stamps(as_of, opened_ago), _stamps(as_of, opened_ago - hours / 24)
        counts["tickets"] = _insert(
            connection,
            "tickets",
            "id,customer_id,category,channel,subject,status,opened_at,resolved_at,updated_at",
            list(zip(_child_ids("T", numbers, n_tickets).tolist(),
                     ids[t_owner].tolist(),
                     np.array(TICKET_CATEGORIES)[rng.integers(0, 8, len(t_owner))].tolist(),
                     np.array(CHANNELS)[channel].tolist(), ["help"] * len(t_owner),
                     ["resolved"] * len(t_owner), opened, resolved, resolved, strict=True)),
        )  # fmt: skip
        # Interactions: a few contacts on the preferred channel.
        n_contacts = rng.poisson(1.0, customers)
        i_owner = np.repeat(np.arange(customers), n_contacts)
        contacted = _stamps(as_of, rng.uniform(0, 1, len(i_owner)) * tenure[i_owner])
        counts["interactions"] = _insert(
            connection,
            "interactions",
            "customer_id,channel,at",
            list(zip(ids[i_owner].tolist(), np.array(CHANNELS)[preferred[i_owner]].tolist(),
                     contacted, strict=True)),
        )  # fmt: skip
    return ids, np.array(GROUPS)[group], counts
