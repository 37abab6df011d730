from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from customer_data import schemas
from customer_data.db import unit_of_work
from customer_data.models import AuditEntry, Customer, Identity
from customer_data.orders_service import NotFound, RuleViolation
from customer_data.profiles import (
    build_profile,
    customer_id_for_identity,
    link_identity,
    list_records,
)
from tests.unit.customer_data.factories import (
    ADA,
    ADA_FRESH,
    ADA_OLD,
    ADA_SHIPPED,
    ADA_SLACK_ID,
    BOB,
    NOW,
    UNKNOWN_CUSTOMER,
    add_customer,
    add_order,
    seeded_database,
)


@pytest.fixture
def database(tmp_path):
    engine, session_factory = seeded_database(tmp_path)
    yield engine, session_factory
    engine.dispose()


@pytest.fixture
def session_factory(database):
    return database[1]


def test_profile_of_a_customer_with_history(session_factory):
    with unit_of_work(session_factory) as session:
        profile = build_profile(session, ADA, NOW)
    assert (profile.customer_id, profile.name, profile.first_name) == (ADA, "Ada Lovelace", "Ada")
    assert (profile.tier, profile.segment, profile.segment_model_version) == (
        "silver",
        "high_value",
        "v2",
    )
    assert profile.customer_since_days == 400
    assert profile.order_count == 5
    # Two processing, one shipped, two delivered (49.90 each, one 100.00).
    assert profile.total_spend == Decimal("299.60")
    assert profile.currency == "EUR"
    assert [order.id for order in profile.open_orders] == [ADA_FRESH, ADA_OLD, ADA_SHIPPED]
    assert profile.last_order.id == ADA_FRESH
    assert [refund.id for refund in profile.recent_refunds] == ["RF-000002", "RF-000001"]
    assert [invoice.id for invoice in profile.recent_invoices] == ["INV-100004"]
    assert [payment.id for payment in profile.recent_failed_payments] == ["PAY-100004"]
    assert [ticket.id for ticket in profile.open_tickets] == ["T-0000001"]
    assert profile.tickets_last_90_days == 1
    assert profile.preferred_channel == "chat"
    assert profile.consents == {
        "marketing_email": False,
        "newsletter": True,
        "personalization": False,
        "analytics": False,
    }


def test_profile_windows_move_with_now(session_factory):
    with unit_of_work(session_factory) as session:
        profile = build_profile(session, ADA, NOW + timedelta(days=40))
    assert profile.recent_failed_payments == []
    assert profile.tickets_last_90_days == 1  # opened 43 days before; still open
    with unit_of_work(session_factory) as session:
        profile = build_profile(session, ADA, NOW + timedelta(days=100))
    assert profile.tickets_last_90_days == 0
    assert [ticket.id for ticket in profile.open_tickets] == ["T-0000001"]


def test_profile_of_a_new_customer_without_anything(session_factory):
    with unit_of_work(session_factory) as session:
        add_customer(session, "C0000010", "Madonna", created_at=NOW)
    with unit_of_work(session_factory) as session:
        profile = build_profile(session, "C0000010", NOW)
    assert profile.first_name == "Madonna"
    assert (profile.order_count, profile.total_spend, profile.currency) == (0, Decimal("0"), None)
    assert (profile.open_orders, profile.last_order, profile.segment) == ([], None, None)
    assert profile.preferred_channel is None


def test_last_order_may_be_closed_and_main_currency_is_the_most_spent_in(session_factory):
    with unit_of_work(session_factory) as session:
        add_customer(session, "C0000011", "Tom Jones")
        add_order(
            session,
            "C0000011",
            "ORD-110001",
            "delivered",
            NOW - timedelta(days=9),
            "10.00",
            "GBP",
            delivered_at=NOW - timedelta(days=5),
        )
        add_order(
            session,
            "C0000011",
            "ORD-110002",
            "delivered",
            NOW - timedelta(days=8),
            "12.50",
            "GBP",
            delivered_at=NOW - timedelta(days=5),
        )
        add_order(session, "C0000011", "ORD-110003", "cancelled", NOW - timedelta(days=1),
                  "500.00", "EUR")  # fmt: skip
    with unit_of_work(session_factory) as session:
        profile = build_profile(session, "C0000011", NOW)
    assert profile.open_orders == []
    assert profile.last_order.id == "ORD-110003"
    assert (profile.order_count, profile.total_spend, profile.currency) == (
        3,
        Decimal("22.50"),
        "GBP",
    )


def test_unknown_customer_has_no_profile(session_factory):
    with unit_of_work(session_factory) as session:
        assert build_profile(session, UNKNOWN_CUSTOMER, NOW) is None


def test_profile_takes_few_queries(database):
    engine, session_factory = database
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        with unit_of_work(session_factory) as session:
            build_profile(session, ADA, NOW)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) <= 8


def test_identity_lookup(session_factory):
    with unit_of_work(session_factory) as session:
        assert customer_id_for_identity(session, "slack", ADA_SLACK_ID) == ADA
        assert customer_id_for_identity(session, "email", " ADA@Example.com ") == ADA
        assert customer_id_for_identity(session, "web", ADA_SLACK_ID) is None
        assert customer_id_for_identity(session, "slack", "U0NOBODY") is None


def test_link_identity_is_idempotent(session_factory):
    link = schemas.IdentityLink(channel="web", external_id="web-user-7")
    for _ in range(2):
        with unit_of_work(session_factory) as session:
            assert link_identity(session, BOB, link, "action-server", NOW) == link
    with unit_of_work(session_factory) as session:
        owners = session.execute(
            select(Identity.customer_id).where(Identity.external_id == "web-user-7")
        ).scalars()
        assert list(owners) == [BOB]
        assert len(session.execute(select(AuditEntry)).all()) == 1


def test_link_identity_of_someone_else_is_refused(session_factory):
    link = schemas.IdentityLink(channel="slack", external_id=ADA_SLACK_ID)
    with unit_of_work(session_factory) as session:
        with pytest.raises(RuleViolation, match="another customer"):
            link_identity(session, BOB, link, "action-server", NOW)
        with pytest.raises(NotFound):
            link_identity(session, UNKNOWN_CUSTOMER, link, "action-server", NOW)


def test_list_records_newest_first(session_factory):
    with unit_of_work(session_factory) as session:
        refunds = list_records(session, ADA, "refunds", 10)
        tickets = list_records(session, ADA, "tickets", 1)
        assert list_records(session, BOB, "payments", 10) == []
        with pytest.raises(NotFound):
            list_records(session, UNKNOWN_CUSTOMER, "invoices", 10)
    assert [refund.id for refund in refunds] == ["RF-000002", "RF-000001"]
    assert [ticket.id for ticket in tickets] == ["T-0000001"]


def test_a_customers_own_email_identifies_them_without_an_identity_row(tmp_path):
    from customer_data.profiles import customer_id_for_identity
    from tests.unit.customer_data.factories import ADA, seeded_database

    _, session_factory = seeded_database(tmp_path)
    with session_factory() as session:
        email = session.get(Customer, ADA).email
        assert email
        assert customer_id_for_identity(session, "email", email.upper()) == ADA
        assert customer_id_for_identity(session, "email", "nobody@example.com") is None
        assert customer_id_for_identity(session, "slack", email) is None
