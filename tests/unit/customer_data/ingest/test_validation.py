from datetime import date, datetime
from decimal import Decimal

import pytest

from customer_data.ingest import formats
from customer_data.ingest.entities import SPECS
from customer_data.ingest.validation import RowValidator
from tests.unit.customer_data.ingest import rows

VALID = {
    formats.CUSTOMERS: rows.customer(),
    formats.ORDERS: rows.order(),
    formats.ORDER_ITEMS: rows.order_item(),
    formats.TICKETS: rows.ticket(),
    formats.REFUNDS: rows.refund(),
    formats.INVOICES: rows.invoice(),
    formats.PAYMENTS: rows.payment(),
    formats.CONSENTS: rows.consent(),
    formats.IDENTITIES: rows.identity(),
    formats.INTERACTIONS: rows.interaction(),
}


def validate(entity, row):
    spec = SPECS[entity]
    return RowValidator(spec.fields, spec.checks)(row)


@pytest.mark.parametrize("entity", formats.LOAD_ORDER)
def test_the_sample_row_of_every_entity_is_valid(entity):
    values, problems = validate(entity, VALID[entity])
    assert problems == []
    assert set(values) >= {field.name for field in SPECS[entity].fields}


def test_a_customer_row_is_normalised():
    values, problems = validate(
        formats.CUSTOMERS,
        rows.customer(
            customer_id=" c0000042 ",
            name="  LENA   SCHMIDT ",
            email=" Lena.Schmidt@Example.com",
            phone="+49 (0)151 234-5678",
            country="de",
            address="Lindenstraße 12 ,10115  Berlin",
            tier=" Gold ",
            created_at="2024-03-01T11:00:00+01:00",
        ),
    )
    assert problems == []
    assert values == {
        "customer_id": "C0000042",
        "name": "Lena Schmidt",
        "country": "DE",
        "email": "lena.schmidt@example.com",
        "phone": "+491512345678",
        "address": "Lindenstraße 12, 10115 Berlin",
        "tier": "gold",
        "created_at": datetime(2024, 3, 1, 10, 0),
    }


def test_an_order_row_is_converted_with_its_history():
    values, problems = validate(formats.ORDERS, rows.order(status=" Delivered", currency="eur"))
    assert problems == []
    assert values["status"] == "delivered"
    assert values["currency"] == "EUR"
    assert values["total_amount"] == Decimal("59.98")
    assert values["delivery_estimate"] == date(2026, 10, 6)
    assert values["status_history"][0] == ("pending", datetime(2026, 10, 1, 10, 0))
    assert [status for status, _ in values["status_history"]] == [
        "pending",
        "processing",
        "shipped",
        "delivered",
    ]


def test_empty_optional_fields_take_their_defaults():
    values, problems = validate(formats.CUSTOMERS, rows.customer(tier="", address="  "))
    assert problems == []
    assert values["tier"] == "bronze"
    assert values["address"] is None


@pytest.mark.parametrize(
    ("entity", "overrides", "reason"),
    [
        (formats.CUSTOMERS, {"customer_id": ""}, "customer_id: missing"),
        (formats.CUSTOMERS, {"customer_id": "C12"}, "customer_id: malformed identifier"),
        (formats.CUSTOMERS, {"name": "   "}, "name: missing"),
        (formats.CUSTOMERS, {"email": "lena@@example.com"}, "email: not a valid e-mail"),
        (formats.CUSTOMERS, {"phone": "12-34"}, "phone: '12-34' does not have"),
        (formats.CUSTOMERS, {"phone": "call me"}, "phone: not a phone number"),
        (formats.CUSTOMERS, {"created_at": "2025-02-30T09:15:00Z"}, "created_at: impossible date"),
        (formats.CUSTOMERS, {"created_at": "01/03/2024"}, "created_at: not an ISO 8601"),
        (formats.CUSTOMERS, {"tier": "platinum"}, "tier: unknown value 'platinum'"),
        (formats.CUSTOMERS, {"country": "Germany"}, "country: malformed identifier"),
        (formats.CUSTOMERS, {"email": "", "phone": ""}, "email, phone: neither given"),
        (formats.ORDERS, {"total_amount": "-12.50"}, "total_amount: amount is negative"),
        (formats.ORDERS, {"currency": "EURO"}, "currency: unsupported currency 'EURO'"),
        (formats.ORDERS, {"status": "lost"}, "status: unknown value 'lost'"),
        (formats.ORDERS, {"placed_at": "2026-02-29T10:00:00Z"}, "placed_at: impossible date"),
        (
            formats.ORDERS,
            {"delivered_at": "2026-09-29T10:00:00Z", "status_history": ""},
            "delivered_at: before placed_at",
        ),
        (
            formats.ORDERS,
            {"delivered_at": "2027-11-01T10:00:00Z", "status_history": ""},
            "delivered_at: more than 365 days after placed_at",
        ),
        (formats.ORDERS, {"delivered_at": ""}, "delivered_at: missing for a delivered order"),
        (
            formats.ORDERS,
            {"status": "shipped", "status_history": ""},
            "delivered_at: set but the order is shipped",
        ),
        (
            formats.ORDERS,
            {"delivery_estimate": "2026-09-30"},
            "delivery_estimate: before placed_at",
        ),
        (
            formats.ORDERS,
            {"status_history": "shipped@2026-10-02T09:00:00Z|pending@2026-10-01T10:00:00Z"},
            "status_history: entries are not in time order",
        ),
        (
            formats.ORDERS,
            {"status_history": "pending@2026-09-01T10:00:00Z|delivered@2026-10-04T15:00:00Z"},
            "status_history: starts before placed_at",
        ),
        (
            formats.ORDERS,
            {"status_history": "pending@2026-10-01T10:00:00Z"},
            "status_history: ends with pending but the status is delivered",
        ),
        (formats.ORDERS, {"status_history": "pending 2026-10-01"}, "is not status@timestamp"),
        (formats.ORDERS, {"status_history": "lost@2026-10-01T10:00:00Z"}, "unknown value 'lost'"),
        (formats.ORDER_ITEMS, {"quantity": "0"}, "quantity: 0 is outside 1-1000"),
        (formats.ORDER_ITEMS, {"unit_price": "-1.00"}, "unit_price: amount is negative"),
        (formats.ORDER_ITEMS, {"sku": "bc 1001"}, "sku: malformed identifier"),
        (
            formats.TICKETS,
            {"resolved_at": "2026-10-03T07:00:00Z"},
            "resolved_at: before opened_at",
        ),
        (
            formats.TICKETS,
            {"resolved_at": "2027-11-08T08:00:00Z"},
            "resolved_at: more than 365 days after opened_at",
        ),
        (formats.TICKETS, {"category": "complaint"}, "category: unknown value 'complaint'"),
        (formats.TICKETS, {"channel": "fax"}, "channel: unknown value 'fax'"),
        (formats.TICKETS, {"resolved_at": ""}, "resolved_at: missing for a resolved ticket"),
        (formats.TICKETS, {"status": "open"}, "resolved_at: set but the ticket is open"),
        (
            formats.TICKETS,
            {"status": "open", "resolved_at": ""},
            "satisfaction: only resolved tickets are rated",
        ),
        (formats.TICKETS, {"satisfaction": "6"}, "satisfaction: 6 is outside 1-5"),
        (formats.REFUNDS, {"amount": "-5.00"}, "amount: amount is negative"),
        (formats.REFUNDS, {"status": "pending"}, "status: unknown value 'pending'"),
        (
            formats.REFUNDS,
            {"resolved_at": "2026-10-04T09:00:00Z", "status": "paid"},
            "resolved_at: before requested_at",
        ),
        (formats.PAYMENTS, {"method": "cash"}, "method: unknown value 'cash'"),
        (formats.PAYMENTS, {"currency": "BTC"}, "currency: unsupported currency"),
        (formats.INVOICES, {"status": "draft"}, "status: unknown value 'draft'"),
        (formats.CONSENTS, {"purpose": "spam"}, "purpose: unknown value 'spam'"),
        (formats.CONSENTS, {"granted": "maybe"}, "granted: not a yes/no value"),
        (formats.IDENTITIES, {"channel": "fax"}, "channel: unknown value 'fax'"),
        (formats.IDENTITIES, {"external_id": "not-slack"}, "external_id: not a Slack user id"),
        (
            formats.IDENTITIES,
            {"channel": "email", "external_id": "nobody"},
            "external_id: not a valid e-mail",
        ),
        (
            formats.IDENTITIES,
            {"channel": "phone", "external_id": "0151 2345678"},
            "phone identities need +<country code>",
        ),
        (formats.INTERACTIONS, {"intent": "Order Status!"}, "intent: not an intent name"),
    ],
)
def test_each_rule_rejects_its_bad_row(entity, overrides, reason):
    _, problems = validate(entity, {**VALID[entity], **overrides})
    assert any(reason in problem for problem in problems), problems


def test_every_problem_of_a_row_is_listed():
    _, problems = validate(
        formats.CUSTOMERS,
        rows.customer(email="nope", created_at="2025-02-30T00:00:00Z", tier="platinum", name=""),
    )
    assert [problem.split(":")[0] for problem in problems] == [
        "name",
        "email",
        "tier",
        "created_at",
    ]


def test_identity_ids_are_canonical_per_channel():
    values, _ = validate(formats.IDENTITIES, rows.identity(external_id=" u0abc1234 "))
    assert values["external_id"] == "U0ABC1234"
    values, _ = validate(
        formats.IDENTITIES, rows.identity(channel="phone", external_id="+44 7700 900123")
    )
    assert values["external_id"] == "+447700900123"
    values, _ = validate(
        formats.IDENTITIES, rows.identity(channel="Email", external_id="Lena@Example.com")
    )
    assert values == {**values, "channel": "email", "external_id": "lena@example.com"}
