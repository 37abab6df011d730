from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import text

from customer_data import models
from customer_data.db import build_engine
from customer_data.ingest import formats
from customer_data.ingest.errors import MalformedFileError, SchemaMissingError, UnknownEntityError
from customer_data.ingest.loader import ingest_file
from tests.unit.customer_data.ingest import rows
from tests.unit.customer_data.ingest.rows import NOW, count, load, rows_of

customers = models.Customer.__table__
orders = models.Order.__table__
events = models.OrderStatusEvent.__table__
items = models.OrderItem.__table__
tickets = models.Ticket.__table__


@pytest.fixture
def shop(engine, tmp_path):
    """Two customers and one delivered order, loaded."""
    load(
        engine,
        formats.CUSTOMERS,
        rows.write_csv(
            tmp_path,
            formats.CUSTOMERS,
            [
                rows.customer(),
                rows.customer(
                    customer_id="C0000002",
                    name="Jonas Weber",
                    email="jonas@example.org",
                    phone="0171 7654321",
                    address="Hauptstraße 1, 20095 Hamburg",
                ),
            ],
        ),
    )
    load(engine, formats.ORDERS, rows.write_csv(tmp_path, formats.ORDERS, [rows.order()]))
    return engine


def test_valid_rows_are_loaded_normalised_and_invalid_rows_quarantined(engine, tmp_path):
    path = rows.write_csv(
        tmp_path,
        formats.CUSTOMERS,
        [
            rows.customer(name=" LENA  SCHMIDT ", email="Lena.Schmidt@Example.COM"),
            rows.customer(customer_id="C0000002", email="jonas@@example.org", phone="0171 7654321"),
            rows.customer(
                customer_id="C0000003",
                email="mia@example.net",
                phone="06 12 34 56 78",
                country="FR",
                created_at="2024-02-30T10:00:00Z",
                tier="platinum",
            ),
        ],
    )
    summary = load(engine, formats.CUSTOMERS, path)
    assert (summary.read, summary.loaded, summary.quarantined) == (3, 1, 2)
    (lena,) = rows_of(engine, customers)
    assert lena["name"] == "Lena Schmidt"
    assert lena["email"] == "lena.schmidt@example.com"
    assert lena["phone"] == "+491512345678"
    assert lena["updated_at"] == NOW
    quarantined = rows.read_quarantine(summary.quarantine_path)
    assert [row["customer_id"] for row in quarantined] == ["C0000002", "C0000003"]
    assert quarantined[0]["source_line"] == "3"
    assert quarantined[0]["email"] == "jonas@@example.org"  # as read, not normalised
    assert quarantined[1]["reason"] == (
        "tier: unknown value 'platinum' (expected one of bronze, silver, gold); "
        "created_at: impossible date or time '2024-02-30T10:00:00Z' "
        "(day is out of range for month)"
    )


def test_a_second_run_of_the_same_file_changes_nothing(shop, tmp_path):
    path = rows.write_csv(
        tmp_path,
        formats.ORDER_ITEMS,
        [
            rows.order_item(),
            rows.order_item(sku="BC-1002", quantity="1"),
        ],
    )
    first = load(shop, formats.ORDER_ITEMS, path)
    counts = {table.name: count(shop, table) for table in (customers, orders, events, items)}
    again = [
        load(shop, entity, tmp_path / f"{entity}.csv")
        for entity in (formats.CUSTOMERS, formats.ORDERS, formats.ORDER_ITEMS)
    ]
    assert first.loaded == 2
    assert [(s.loaded, s.updated, s.merged, s.quarantined) for s in again] == [(0, 0, 0, 0)] * 3
    assert [s.unchanged for s in again] == [2, 1, 2]
    assert {table.name: count(shop, table) for table in (customers, orders, events, items)} == (
        counts
    )


def test_a_changed_row_is_updated_and_the_others_left_alone(shop, tmp_path):
    later = datetime(2026, 11, 3)
    path = rows.write_csv(
        tmp_path,
        formats.CUSTOMERS,
        [
            rows.customer(tier="gold"),
            rows.customer(
                customer_id="C0000002",
                name="Jonas Weber",
                email="jonas@example.org",
                phone="0171 7654321",
                address="Hauptstraße 1, 20095 Hamburg",
            ),
        ],
        name="customers_v2.csv",
    )
    summary = ingest_file(shop, formats.CUSTOMERS, path, tmp_path / "q.csv", now=later)
    assert (summary.updated, summary.unchanged) == (1, 1)
    lena, jonas = sorted(rows_of(shop, customers), key=lambda row: row["id"])
    assert lena["tier"] == "gold" and lena["updated_at"] == later
    assert jonas["updated_at"] == NOW


def test_order_status_history_is_stored_and_replaced_when_it_changes(shop, tmp_path):
    assert [(row["status"], row["at"]) for row in rows_of(shop, events)][:2] == [
        ("pending", datetime(2026, 10, 1, 10)),
        ("processing", datetime(2026, 10, 1, 12)),
    ]
    returned = rows.order(
        status="returned",
        status_history=rows.order()["status_history"] + "|returned@2026-10-10T08:00:00Z",
    )
    summary = load(shop, formats.ORDERS, rows.write_csv(tmp_path, formats.ORDERS, [returned]))
    assert summary.updated == 1
    statuses = [row["status"] for row in rows_of(shop, events)]
    assert statuses == ["pending", "processing", "shipped", "delivered", "returned"]
    assert [row["source"] for row in rows_of(shop, events)] == ["crm"] * 5


def test_unknown_references_are_quarantined(shop, tmp_path):
    path = rows.write_csv(
        tmp_path,
        formats.ORDER_ITEMS,
        [
            rows.order_item(order_id="ORD-999999"),
        ],
    )
    summary = load(shop, formats.ORDER_ITEMS, path)
    assert summary.quarantined == 1
    (row,) = rows.read_quarantine(summary.quarantine_path)
    assert row["reason"] == "order_id: unknown order ORD-999999"
    path = rows.write_csv(tmp_path, formats.TICKETS, [rows.ticket(customer_id="C0099999")])
    summary = load(shop, formats.TICKETS, path)
    (row,) = rows.read_quarantine(summary.quarantine_path)
    assert row["reason"] == "customer_id: unknown customer C0099999"


def test_rows_about_an_order_must_match_its_customer_currency_and_total(shop, tmp_path):
    path = rows.write_csv(
        tmp_path,
        formats.REFUNDS,
        [
            rows.refund(),
            rows.refund(refund_id="RF-100002", customer_id="C0000002"),
            rows.refund(refund_id="RF-100003", currency="GBP"),
            rows.refund(refund_id="RF-100004", amount="60.00"),
        ],
    )
    summary = load(shop, formats.REFUNDS, path)
    assert summary.loaded == 1
    reasons = [row["reason"] for row in rows.read_quarantine(summary.quarantine_path)]
    assert reasons == [
        "customer_id: C0000002 but order ORD-100001 belongs to C0000001",
        "currency: GBP but the order is in EUR",
        "amount: 60.00 exceeds the order total 59.98",
    ]


def test_a_key_repeated_with_other_values_is_a_conflict_not_an_update(shop, tmp_path):
    path = rows.write_csv(
        tmp_path,
        formats.TICKETS,
        [
            rows.ticket(),
            rows.ticket(),  # an exact repeat is harmless
            rows.ticket(subject="Where is my parcel now?"),
            rows.ticket(ticket_id="T-1000002"),
            rows.ticket(ticket_id="T-1000002", status="pending", resolved_at="", satisfaction=""),
        ],
    )
    for batch_size in (2000, 1):  # within one batch and across batches
        summary = load(shop, formats.TICKETS, path, batch_size=batch_size)
        assert summary.quarantined == 2
        assert all(
            row["reason"].startswith("duplicate key")
            for row in rows.read_quarantine(summary.quarantine_path)
        )
    (first,) = rows_of(shop, tickets, tickets.c.id == "T-1000001")
    assert first["subject"] == "Where is my parcel?"


def test_json_lines_input_is_loaded_like_csv(engine, tmp_path):
    customer = rows.customer()
    customer["tier"] = None
    path = rows.write_jsonl(
        tmp_path,
        formats.CUSTOMERS,
        [
            customer,
            {
                "customer_id": "C0000002",
                "name": "No Contact",
                "country": "DE",
                "created_at": "2024-01-01T00:00:00Z",
            },
            {"customer_id": "C0000003", "name": ["nested"]},
        ],
    )
    summary = load(engine, formats.CUSTOMERS, path)
    assert (summary.loaded, summary.quarantined) == (1, 2)
    assert rows_of(engine, customers)[0]["tier"] == "bronze"
    quarantined = summary.quarantine_path.read_text().splitlines()
    assert (
        '"reason": "email, phone: neither given; a customer needs at least one"' in (quarantined[0])
    )
    assert "nested values are not supported: name" in quarantined[1]


def test_money_survives_the_round_trip_exactly(shop):
    (order,) = rows_of(shop, orders)
    assert order["total_amount"] == Decimal("59.98")
    assert order["delivered_at"] == datetime(2026, 10, 4, 15)


def test_a_malformed_file_is_an_error_and_nothing_is_written(engine, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text("customer_id,name\nC0000001,Lena\n")
    with pytest.raises(MalformedFileError, match="missing columns: email"):
        load(engine, formats.CUSTOMERS, path)
    assert count(engine, customers) == 0


def test_bytes_that_are_not_utf8_far_down_the_file_stop_the_load_with_an_error(engine, tmp_path):
    good = [
        rows.customer(customer_id=f"C{n:07d}", email=f"c{n}@example.com", phone="")
        for n in range(1, 3001)
    ]
    path = rows.write_csv(tmp_path, formats.CUSTOMERS, good)
    with open(path, "ab") as handle:
        handle.write(b"C0009999,M\xfcller,m@example.com,,DE,,bronze,2024-01-01T00:00:00Z\n")
    with pytest.raises(MalformedFileError, match="not UTF-8"):
        load(engine, formats.CUSTOMERS, path, batch_size=1000)
    kept = count(engine, customers)
    assert 0 < kept < 3000 and kept % 1000 == 0  # whole batches before it (re-runs are safe)


def test_a_database_without_the_schema_is_a_clear_error(tmp_path):
    empty = build_engine("sqlite://")
    path = rows.write_csv(tmp_path, formats.CUSTOMERS, [rows.customer()])
    with pytest.raises(SchemaMissingError, match="python -m customer_data.migrate upgrade"):
        load(empty, formats.CUSTOMERS, path)


def test_unknown_entities_are_refused(engine, tmp_path):
    with pytest.raises(UnknownEntityError, match="expected one of customers, identities"):
        load(engine, "segments", tmp_path / "segments.csv")


def test_rows_the_database_refuses_are_quarantined_and_the_rest_loaded(shop, tmp_path):
    with shop.begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER no_fax BEFORE INSERT ON tickets WHEN NEW.subject = 'refuse me' "
                "BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END"
            )
        )
    path = rows.write_csv(
        tmp_path,
        formats.TICKETS,
        [
            rows.ticket(),
            rows.ticket(ticket_id="T-1000002", subject="refuse me"),
            rows.ticket(ticket_id="T-1000003"),
        ],
    )
    summary = load(shop, formats.TICKETS, path)
    assert (summary.loaded, summary.quarantined) == (2, 1)
    (row,) = rows.read_quarantine(summary.quarantine_path)
    assert row["ticket_id"] == "T-1000002"
    assert row["reason"] == "rejected by the database: refused by a trigger"


def test_summary_counts_add_up_and_are_printed(shop, tmp_path):
    path = rows.write_csv(tmp_path, formats.TICKETS, [rows.ticket(), rows.ticket(status="x")])
    summary = load(shop, formats.TICKETS, path)
    assert summary.read == sum(
        (summary.loaded, summary.updated, summary.unchanged, summary.merged, summary.quarantined)
    )
    printed = summary.format()
    assert "read 2, loaded 1, updated 0, unchanged 0, merged 0, quarantined 1" in printed
    assert "rows/s" in printed and f"quarantine: {summary.quarantine_path}" in printed
