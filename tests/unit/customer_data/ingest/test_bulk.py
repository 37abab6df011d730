from datetime import date, datetime

from sqlalchemy import create_engine
from sqlalchemy.dialects import sqlite

from customer_data import models
from customer_data.db import create_schema
from customer_data.ingest.batch import Candidate, Planned, Statement
from customer_data.ingest.bulk import BulkExecutor, _faster
from customer_data.ingest.readers import SourceRow
from tests.unit.customer_data.ingest import rows
from tests.unit.customer_data.ingest.rows import rows_of

events = models.OrderStatusEvent.__table__


def processor(type_):
    dialect = sqlite.dialect()
    return type_.dialect_impl(dialect).bind_processor(dialect)


def test_the_fast_datetime_conversion_writes_exactly_what_sqlalchemy_writes():
    original = processor(sqlite.DATETIME())
    fast = _faster(original, sqlite.DATETIME())
    assert fast is not original
    for value in (datetime(2026, 1, 2, 3, 4, 5), datetime(1999, 12, 31, 23, 59, 59, 999999), None):
        assert fast(value) == original(value)
    original_date = processor(sqlite.DATE())
    assert _faster(original_date, sqlite.DATE())(date(2026, 2, 3)) == original_date(
        date(2026, 2, 3)
    )


def test_a_storage_format_that_differs_keeps_its_own_processor():
    custom = sqlite.DATETIME(storage_format="%(year)04d/%(month)02d/%(day)02d")
    original = processor(custom)
    assert _faster(original, custom) is original


def test_operations_are_written_whatever_the_order_of_their_values(engine, tmp_path):
    rows.load(engine, "customers", rows.write_csv(tmp_path, "customers", [rows.customer()]))
    rows.load(engine, "orders", rows.write_csv(tmp_path, "orders", [rows.order(status_history="")]))
    statement = Statement("events", events.insert(), ("status", "at", "source", "order_id"))
    candidate = Candidate(SourceRow(1, {}, {}), {})
    plan = Planned(
        candidate,
        "loaded",
        [
            ("events", ("shipped", datetime(2026, 10, 2, 9), "test", "ORD-100001")),
            ("events", ("delivered", datetime(2026, 10, 4, 15), "test", "ORD-100001")),
        ],
    )
    with engine.begin() as connection:
        BulkExecutor([statement]).execute(connection, [plan])
    assert [
        (row["order_id"], row["status"], row["at"], row["source"])
        for row in rows_of(engine, events)
    ] == [
        ("ORD-100001", "shipped", datetime(2026, 10, 2, 9), "test"),
        ("ORD-100001", "delivered", datetime(2026, 10, 4, 15), "test"),
    ]


def test_a_named_paramstyle_driver_gets_named_parameters(tmp_path):
    # PostgreSQL's drivers take named parameters; SQLite can too, which exercises that path.
    named = create_engine("sqlite://", paramstyle="named", future=True)
    create_schema(named)
    rows.load(named, "customers", rows.write_csv(tmp_path, "customers", [rows.customer()]))
    summary = rows.load(named, "orders", rows.write_csv(tmp_path, "orders", [rows.order()]))
    assert summary.loaded == 1
    assert len(rows_of(named, events)) == 4
    assert rows.load(named, "orders", tmp_path / "orders.csv").unchanged == 1
