"""Valid export rows for ingest tests; each test overrides only the fields it is about."""

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Dict, Iterable, List

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from customer_data.ingest import formats
from customer_data.ingest.loader import ingest_file
from customer_data.ingest.summary import Summary

NOW = datetime(2026, 11, 2, 9, 0, 0)
Row = Dict[str, str]


def customer(**overrides: str) -> Row:
    row = {
        "customer_id": "C0000001",
        "name": "Lena Schmidt",
        "email": "lena.schmidt@example.com",
        "phone": "0151 2345678",
        "country": "DE",
        "address": "Lindenstraße 12, 10115 Berlin",
        "tier": "silver",
        "created_at": "2024-03-01T10:00:00Z",
    }
    row.update(overrides)
    return row


def order(**overrides: str) -> Row:
    row = {
        "order_id": "ORD-100001",
        "customer_id": "C0000001",
        "status": "delivered",
        "placed_at": "2026-10-01T10:00:00Z",
        "currency": "EUR",
        "total_amount": "59.98",
        "shipping_address": "Lindenstraße 12, 10115 Berlin",
        "delivery_estimate": "2026-10-06",
        "delivered_at": "2026-10-04T15:00:00Z",
        "status_history": (
            "pending@2026-10-01T10:00:00Z|processing@2026-10-01T12:00:00Z"
            "|shipped@2026-10-02T09:00:00Z|delivered@2026-10-04T15:00:00Z"
        ),
    }
    row.update(overrides)
    return row


def order_item(**overrides: str) -> Row:
    row = {
        "order_id": "ORD-100001",
        "sku": "BC-1001",
        "product_name": "Stainless Steel Kettle 1.7 l",
        "quantity": "2",
        "unit_price": "29.99",
    }
    row.update(overrides)
    return row


def ticket(**overrides: str) -> Row:
    row = {
        "ticket_id": "T-1000001",
        "customer_id": "C0000001",
        "category": "delivery",
        "channel": "email",
        "subject": "Where is my parcel?",
        "status": "resolved",
        "opened_at": "2026-10-03T08:00:00Z",
        "resolved_at": "2026-10-03T11:30:00Z",
        "satisfaction": "4",
    }
    row.update(overrides)
    return row


def refund(**overrides: str) -> Row:
    row = {
        "refund_id": "RF-100001",
        "order_id": "ORD-100001",
        "customer_id": "C0000001",
        "amount": "20.00",
        "currency": "EUR",
        "status": "requested",
        "refund_reason": "damaged in transit",
        "requested_at": "2026-10-05T09:00:00Z",
        "resolved_at": "",
    }
    row.update(overrides)
    return row


def invoice(**overrides: str) -> Row:
    row = {
        "invoice_id": "INV-100001",
        "order_id": "ORD-100001",
        "customer_id": "C0000001",
        "amount": "59.98",
        "currency": "EUR",
        "status": "paid",
        "issued_at": "2026-10-01T10:05:00Z",
    }
    row.update(overrides)
    return row


def payment(**overrides: str) -> Row:
    row = {
        "payment_id": "PAY-100001",
        "order_id": "ORD-100001",
        "customer_id": "C0000001",
        "method": "card",
        "amount": "59.98",
        "currency": "EUR",
        "status": "succeeded",
        "failure_reason": "",
        "at": "2026-10-01T10:01:00Z",
    }
    row.update(overrides)
    return row


def consent(**overrides: str) -> Row:
    row = {
        "customer_id": "C0000001",
        "purpose": "newsletter",
        "granted": "true",
        "at": "2024-03-01T10:05:00Z",
        "source": "web",
    }
    row.update(overrides)
    return row


def identity(**overrides: str) -> Row:
    row = {
        "customer_id": "C0000001",
        "channel": "slack",
        "external_id": "U0ABC1234",
        "created_at": "2025-01-01T00:00:00Z",
    }
    row.update(overrides)
    return row


def interaction(**overrides: str) -> Row:
    row = {
        "customer_id": "C0000001",
        "channel": "chat",
        "intent": "order_status",
        "at": "2026-10-20T18:00:00Z",
    }
    row.update(overrides)
    return row


def write_csv(directory: Path, entity: str, rows: Iterable[Row], name: str = "") -> Path:
    """Writes `rows` under the entity's export header (missing fields empty)."""
    path = Path(directory) / (name or f"{entity}.csv")
    columns = formats.FILE_COLUMNS[entity]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(column, "") for column in columns])
    return path


def write_jsonl(directory: Path, entity: str, rows: Iterable[dict], name: str = "") -> Path:
    path = Path(directory) / (name or f"{entity}.jsonl")
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    return path


def read_quarantine(path: Path) -> List[Row]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(engine: Engine, entity: str, path: Path, batch_size: int = 2000) -> Summary:
    """Ingests `path` with the test clock; the quarantine goes next to the input."""
    quarantine = Path(path).with_name(f"{Path(path).stem}.quarantine{Path(path).suffix}")
    return ingest_file(engine, entity, path, quarantine, batch_size=batch_size, now=NOW)


def count(engine: Engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def rows_of(engine: Engine, table, *where) -> list:
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(select(table).where(*where))]
