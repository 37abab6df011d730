"""Deliberate mess in the demo export, so every ingest rule has something to catch.

Two kinds: cosmetic mess the ingest must normalise (whitespace, letter case, time-zone offsets)
and invalid rows it must quarantine. Invalid rows are placed by customer index (every
`INVALID_EVERY`-th customer, one offset per kind), so a 3,000-customer export has a handful of
each kind and a large one proportionally more.
"""

import random
from datetime import datetime, timedelta
from typing import Callable, Dict, List, Tuple

from customer_data.ingest import formats

INVALID_EVERY = 997
COSMETIC_RATE = 0.03
Row = List[str]
Rows = Dict[str, List[Row]]
COLUMN = {
    entity: {name: index for index, name in enumerate(columns)}
    for entity, columns in formats.FILE_COLUMNS.items()
}


def shift(text: str, **delta: float) -> str:
    """An ISO UTC timestamp moved by `delta` (timedelta keywords), still in UTC."""
    moved = datetime.fromisoformat(text.rstrip("Z")) + timedelta(**delta)
    return moved.isoformat() + "Z"


def with_offset(text: str, hours: int) -> str:
    """The same instant written in local time with a `+HH:00` offset."""
    local = datetime.fromisoformat(text.rstrip("Z")) + timedelta(hours=hours)
    return f"{local.isoformat()}+{hours:02d}:00"


def _set(entity: str, column: str, value: str) -> Callable[[random.Random, Row], None]:
    def apply(_rng: random.Random, row: Row) -> None:
        row[COLUMN[entity][column]] = value

    return apply


def _bad_email(_rng: random.Random, row: Row) -> None:
    index = COLUMN[formats.CUSTOMERS]["email"]
    row[index] = row[index].replace("@", "@@")


def _negative(entity: str, column: str) -> Callable[[random.Random, Row], None]:
    def apply(_rng: random.Random, row: Row) -> None:
        row[COLUMN[entity][column]] = "-" + row[COLUMN[entity][column]]

    return apply


def _unknown_customer(rng: random.Random, row: Row) -> None:
    row[COLUMN[formats.ORDERS]["customer_id"]] = f"C9{rng.randrange(10**6):06d}"


def _delivered_before_placed(_rng: random.Random, row: Row) -> None:
    columns = COLUMN[formats.ORDERS]
    row[columns["delivered_at"]] = shift(row[columns["placed_at"]], days=-2)
    row[columns["status"]] = "delivered"
    row[columns["status_history"]] = ""


def _resolved(days: float) -> Callable[[random.Random, Row], None]:
    def apply(_rng: random.Random, row: Row) -> None:
        columns = COLUMN[formats.TICKETS]
        row[columns["status"]] = "resolved"
        row[columns["resolved_at"]] = shift(row[columns["opened_at"]], days=days)

    return apply


# (file, offset among INVALID_EVERY customers, what goes wrong)
INVALID: Tuple[Tuple[str, int, Callable[[random.Random, Row], None]], ...] = (
    (formats.CUSTOMERS, 101, _bad_email),
    (formats.CUSTOMERS, 202, _set(formats.CUSTOMERS, "created_at", "2025-02-30T09:15:00Z")),
    (formats.CUSTOMERS, 303, _set(formats.CUSTOMERS, "phone", "12-34")),
    (formats.CUSTOMERS, 404, _set(formats.CUSTOMERS, "tier", "platinum")),
    (formats.ORDERS, 150, _negative(formats.ORDERS, "total_amount")),
    (formats.ORDERS, 250, _unknown_customer),
    (formats.ORDERS, 350, _delivered_before_placed),
    (formats.ORDERS, 450, _set(formats.ORDERS, "placed_at", "2026-02-29T10:00:00Z")),
    (formats.ORDER_ITEMS, 550, _set(formats.ORDER_ITEMS, "quantity", "0")),
    (formats.PAYMENTS, 650, _set(formats.PAYMENTS, "currency", "EURO")),
    (formats.INVOICES, 750, _negative(formats.INVOICES, "amount")),
    (formats.TICKETS, 120, _resolved(-0.125)),
    (formats.TICKETS, 220, _resolved(400)),
    (formats.TICKETS, 320, _set(formats.TICKETS, "category", "complaint")),
)


def customer_defect_due(index: int) -> bool:
    """Whether customer `index` brings an invalid customer record (a bare extra record)."""
    position = index % INVALID_EVERY
    return any(entity == formats.CUSTOMERS and offset == position for entity, offset, _ in INVALID)


class DefectPlanter:
    """Makes rows invalid as customers come due; a defect waits for a customer with such rows.

    Customer defects go to the bundle's last customer record (the bare extra record the
    generator adds, so no orders depend on it); other defects to the first row of their file,
    or, when the customer has none (no tickets, say), to the next customer who has one.
    """

    def __init__(self) -> None:
        """Starts with nothing waiting."""
        self._waiting: List[Tuple[str, int, Callable[[random.Random, Row], None]]] = []

    def plant(self, rng: random.Random, index: int, rows: Rows) -> None:
        """Applies the defects due at customer `index` (and those still waiting) to `rows`."""
        position = index % INVALID_EVERY
        self._waiting.extend(entry for entry in INVALID if entry[1] == position)
        still_waiting = []
        for entry in self._waiting:
            entity, _, defect = entry
            if rows[entity]:
                defect(rng, rows[entity][-1 if entity == formats.CUSTOMERS else 0])
            else:
                still_waiting.append(entry)
        self._waiting = still_waiting


def roughen(rng: random.Random, rows: Rows) -> None:
    """Cosmetic mess on a few rows: spacing, letter case, local time-zone notation."""
    customers = COLUMN[formats.CUSTOMERS]
    for row in rows[formats.CUSTOMERS]:
        if rng.random() < COSMETIC_RATE:
            row[customers["name"]] = f"  {row[customers['name']].replace(' ', '   ')} "
        if rng.random() < COSMETIC_RATE:
            name = row[customers["name"]]
            row[customers["name"]] = name.upper() if rng.random() < 0.5 else name.lower()
        if rng.random() < COSMETIC_RATE:
            email = row[customers["email"]]
            row[customers["email"]] = f" {email[:1].upper()}{email[1:]}".replace(
                "@example", "@Example"
            )
        if rng.random() < COSMETIC_RATE:
            row[customers["address"]] = row[customers["address"]].replace(", ", " ,  ")
    orders = COLUMN[formats.ORDERS]
    for row in rows[formats.ORDERS]:
        if rng.random() < COSMETIC_RATE:
            row[orders["placed_at"]] = with_offset(row[orders["placed_at"]], rng.choice((1, 2)))
        if rng.random() < COSMETIC_RATE:
            row[orders["status"]] = row[orders["status"]].capitalize()
        if rng.random() < COSMETIC_RATE:
            row[orders["currency"]] = row[orders["currency"]].lower()
