import pytest
from sqlalchemy import func, select

from customer_data import audit, schemas
from customer_data.db import unit_of_work
from customer_data.models import (
    AuditEntry,
    Consent,
    Customer,
    Identity,
    MergeCandidate,
    Order,
    OrderItem,
    Refund,
    SatisfactionRating,
)
from customer_data.orders_service import NotFound
from customer_data.privacy import erase_customer, export_customer, list_consents, set_consent
from tests.unit.customer_data.factories import (
    ADA,
    ADA_DELIVERED,
    BOB,
    NOW,
    UNKNOWN_CUSTOMER,
    seeded_database,
)

ACTOR = "action-server"


@pytest.fixture
def session_factory(tmp_path):
    engine, session_factory = seeded_database(tmp_path)
    yield session_factory
    engine.dispose()


def count(session, model, *criteria) -> int:
    return session.execute(select(func.count()).select_from(model).where(*criteria)).scalar_one()


def test_set_consent_inserts_then_updates(session_factory):
    with unit_of_work(session_factory) as session:
        granted = set_consent(
            session, BOB, "analytics", schemas.ConsentUpdate(granted=True), ACTOR, NOW
        )
    assert granted == schemas.ConsentOut(purpose="analytics", granted=True, at=NOW, source="chat")
    with unit_of_work(session_factory) as session:
        set_consent(
            session, BOB, "analytics", schemas.ConsentUpdate(granted=False, source="web"), ACTOR,
            NOW,
        )  # fmt: skip
    with unit_of_work(session_factory) as session:
        consents = list_consents(session, BOB)
        reasons = session.execute(select(AuditEntry.reason).order_by(AuditEntry.id)).scalars()
        assert list(reasons) == ["granted via chat", "withdrawn via web"]
    assert [(c.purpose, c.granted, c.source) for c in consents] == [("analytics", False, "web")]


def test_consents_of_unknown_customer(session_factory):
    with unit_of_work(session_factory) as session:
        with pytest.raises(NotFound):
            list_consents(session, UNKNOWN_CUSTOMER)
        with pytest.raises(NotFound):
            set_consent(
                session, UNKNOWN_CUSTOMER, "analytics", schemas.ConsentUpdate(granted=True),
                ACTOR, NOW,
            )  # fmt: skip


def test_export_holds_everything_about_the_customer(session_factory):
    with unit_of_work(session_factory) as session:
        export = export_customer(session, ADA, ACTOR, NOW)
    assert export.customer["id"] == ADA
    assert export.customer["email"] == "ada@example.com"
    assert export.customer["created_at"] == "2023-05-12T12:00:00"
    assert {(i["channel"], i["external_id"]) for i in export.identities} == {
        ("slack", "U0ADA"),
        ("email", "ada@example.com"),
    }
    assert len(export.orders) == 5
    assert all(order.items and order.status_history for order in export.orders)
    assert {refund.id for refund in export.refunds} == {"RF-000001", "RF-000002"}
    assert [invoice.id for invoice in export.invoices] == ["INV-100004"]
    assert len(export.payments) == 2
    assert len(export.tickets) == 2
    assert [consent.purpose for consent in export.consents] == ["newsletter"]
    assert [s["segment"] for s in export.segments] == ["high_value", "standard"]
    assert [i["channel"] for i in export.interactions] == ["email", "chat", "chat"]
    with unit_of_work(session_factory) as session:
        assert session.execute(select(AuditEntry.action)).scalar_one() == audit.EXPORT


def test_erase_removes_everything_but_the_audit_log(session_factory):
    with unit_of_work(session_factory) as session:
        audit.record_change(session, ACTOR, audit.READ_PROFILE, ADA, "profile", None, NOW)
        session.add(
            MergeCandidate(customer_id_a=BOB, customer_id_b=ADA, reason="same", detected_at=NOW)
        )
        session.add(
            SatisfactionRating(
                conversation_id="c1",
                customer_id=ADA,
                flow="track_order",
                human_involved=False,
                rating=2,
                comment="slow",
                at=NOW,
            )
        )
    with unit_of_work(session_factory) as session:
        result = erase_customer(session, ADA, ACTOR, "customer asked", NOW)
    assert result.customer_id == ADA
    assert result.erased == {
        "order_items": 5,
        "order_status_events": 10,
        "refunds": 2,
        "invoices": 1,
        "payments": 2,
        "orders": 5,
        "tickets": 2,
        "interactions": 3,
        "consents": 1,
        "segments": 2,
        "handoff_messages": 0,
        "handoffs": 0,
        "satisfaction_ratings": 1,
        "identities": 2,
        "merge_candidates": 1,
        "customers": 1,
    }
    with unit_of_work(session_factory) as session:
        assert session.get(Customer, ADA) is None
        assert count(session, Order, Order.customer_id == ADA) == 0
        assert count(session, OrderItem, OrderItem.order_id == ADA_DELIVERED) == 0
        assert count(session, Refund) == 0
        assert count(session, Identity, Identity.customer_id == ADA) == 0
        assert count(session, Consent) == 0
        actions = session.execute(
            select(AuditEntry.action).where(AuditEntry.customer_id == ADA).order_by(AuditEntry.id)
        ).scalars()
        assert list(actions) == [audit.READ_PROFILE, audit.ERASE]
        # Other customers are untouched.
        assert session.get(Customer, BOB) is not None
        assert count(session, Order, Order.customer_id == BOB) == 1


def test_erase_unknown_customer(session_factory):
    with unit_of_work(session_factory) as session:
        with pytest.raises(NotFound):
            erase_customer(session, UNKNOWN_CUSTOMER, ACTOR, None, NOW)
