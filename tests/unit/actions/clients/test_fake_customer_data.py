from datetime import timedelta
from decimal import Decimal

import pytest

from actions.clients.customer_data import CustomerDataClient
from actions.clients.errors import InvalidRequest, NotFound, RuleViolation, ServiceUnavailable
from actions.clients.fake_customer_data import FakeCustomerDataClient
from customer_data.schemas import IdentityLink, RefundOut
from tests.unit.actions.clients.samples import (
    CUSTOMER_ID,
    NOW,
    ORDER_ID,
    OTHER_CUSTOMER_ID,
    make_order,
    make_profile,
)

NEW_ADDRESS = "Gartenweg 5, 14467 Potsdam"


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def fake(clock):
    return FakeCustomerDataClient(now=clock)


def seed(fake, *orders, tier="silver", customer_id=CUSTOMER_ID, **extra):
    fake.add_customer(make_profile(customer_id, tier=tier), orders=orders, **extra)


# --- cancellation ----------------------------------------------------------------------------


def test_cancelling_within_24_hours_is_free_and_marks_the_order_cancelled(fake):
    seed(fake, make_order(status="pending", placed_at=NOW - timedelta(hours=23)))

    quote = fake.cancellation_quote(CUSTOMER_ID, ORDER_ID)
    result = fake.cancel_order(CUSTOMER_ID, ORDER_ID, reason="changed my mind")

    assert (quote.cancellable, quote.fee, quote.reason) == (
        True,
        Decimal("0.00"),
        "free: within 24 hours of ordering",
    )
    assert (result.status, result.fee, result.currency) == ("cancelled", Decimal("0.00"), "EUR")
    order = fake.get_order(CUSTOMER_ID, ORDER_ID)
    assert order.status == "cancelled"
    assert (order.status_history[-1].status, order.status_history[-1].at) == ("cancelled", NOW)


@pytest.mark.parametrize(
    ("tier", "fee"),
    [("gold", Decimal("0.00")), ("silver", Decimal("2.50")), ("bronze", Decimal("5.00"))],
)
def test_after_24_hours_the_fee_depends_on_the_tier(fake, tier, fee):
    seed(fake, make_order(placed_at=NOW - timedelta(hours=25)), tier=tier)

    assert fake.cancellation_quote(CUSTOMER_ID, ORDER_ID).fee == fee
    assert fake.cancel_order(CUSTOMER_ID, ORDER_ID).fee == fee


def test_the_fee_is_never_more_than_the_order_total(fake):
    seed(fake, make_order(placed_at=NOW - timedelta(days=2), total="3.00"), tier="bronze")

    assert fake.cancel_order(CUSTOMER_ID, ORDER_ID).fee == Decimal("3.00")


@pytest.mark.parametrize("status", ["shipped", "delivered"])
def test_a_shipped_order_cannot_be_cancelled(fake, status):
    seed(fake, make_order(status=status))

    quote = fake.cancellation_quote(CUSTOMER_ID, ORDER_ID)
    with pytest.raises(RuleViolation) as raised:
        fake.cancel_order(CUSTOMER_ID, ORDER_ID)

    assert not quote.cancellable
    assert raised.value.reason == quote.reason
    assert raised.value.reason.endswith("return it instead")
    assert fake.get_order(CUSTOMER_ID, ORDER_ID).status == status


def test_an_order_is_cancelled_only_once(fake):
    seed(fake, make_order())
    fake.cancel_order(CUSTOMER_ID, ORDER_ID)

    with pytest.raises(RuleViolation, match="the order is cancelled"):
        fake.cancel_order(CUSTOMER_ID, ORDER_ID)


# --- shipping address ------------------------------------------------------------------------


def test_the_address_changes_while_the_order_has_not_shipped(fake):
    seed(fake, make_order(status="processing"))

    changed = fake.change_shipping_address(CUSTOMER_ID, ORDER_ID, f"  {NEW_ADDRESS} ")

    assert changed.shipping_address == NEW_ADDRESS
    assert fake.get_order(CUSTOMER_ID, ORDER_ID).shipping_address == NEW_ADDRESS


def test_the_address_cannot_change_after_shipping(fake):
    seed(fake, make_order(status="shipped"))

    with pytest.raises(RuleViolation, match="only change before it ships"):
        fake.change_shipping_address(CUSTOMER_ID, ORDER_ID, NEW_ADDRESS)
    assert fake.get_order(CUSTOMER_ID, ORDER_ID).shipping_address != NEW_ADDRESS


def test_a_too_short_address_is_an_invalid_request(fake):
    seed(fake, make_order())

    with pytest.raises(InvalidRequest):
        fake.change_shipping_address(CUSTOMER_ID, ORDER_ID, "Street 1")


# --- refunds ---------------------------------------------------------------------------------


def delivered(days_ago=3, total="59.90"):
    return make_order(status="delivered", delivered_at=NOW - timedelta(days=days_ago), total=total)


def test_a_refund_without_amount_is_for_the_whole_order(fake):
    seed(fake, delivered())

    refund = fake.request_refund(CUSTOMER_ID, ORDER_ID, "arrived broken")

    assert (refund.amount, refund.currency, refund.status) == (Decimal("59.90"), "EUR", "requested")
    assert (refund.order_id, refund.reason, refund.requested_at) == (
        ORDER_ID,
        "arrived broken",
        NOW,
    )
    assert refund.id.startswith("RF-")
    assert fake.list_refunds(CUSTOMER_ID) == [refund]


def test_refunds_may_not_exceed_the_order_total(fake):
    seed(fake, delivered())
    fake.request_refund(CUSTOMER_ID, ORDER_ID, "one part broken", Decimal("50"))

    with pytest.raises(RuleViolation, match="at most 9.90 can still be refunded"):
        fake.request_refund(CUSTOMER_ID, ORDER_ID, "the rest too", Decimal("10.00"))
    rest = fake.request_refund(CUSTOMER_ID, ORDER_ID, "the rest too")
    assert rest.amount == Decimal("9.90")
    with pytest.raises(RuleViolation, match="already been refunded in full"):
        fake.request_refund(CUSTOMER_ID, ORDER_ID, "again")


def test_rejected_refunds_do_not_count_against_the_total(fake):
    rejected = RefundOut(
        id="RF-000001",
        order_id=ORDER_ID,
        amount=Decimal("59.90"),
        currency="EUR",
        status="rejected",
        reason="no photo",
        requested_at=NOW - timedelta(days=1),
        resolved_at=NOW,
    )
    seed(fake, delivered(), refunds=[rejected])

    assert fake.request_refund(CUSTOMER_ID, ORDER_ID, "photo attached").amount == Decimal("59.90")


def test_the_refund_window_closes_30_days_after_delivery(fake, clock):
    seed(fake, delivered(days_ago=30))
    assert fake.request_refund(CUSTOMER_ID, ORDER_ID, "late", Decimal("1")).amount == Decimal("1")

    clock.now = NOW + timedelta(minutes=1)

    with pytest.raises(RuleViolation, match="30-day refund window"):
        fake.request_refund(CUSTOMER_ID, ORDER_ID, "too late")


@pytest.mark.parametrize("status", ["processing", "shipped", "cancelled"])
def test_only_delivered_orders_are_refunded(fake, status):
    seed(fake, make_order(status=status))

    with pytest.raises(RuleViolation, match="refunds are for delivered orders"):
        fake.request_refund(CUSTOMER_ID, ORDER_ID, "never mind")


# --- whose data ------------------------------------------------------------------------------


def test_another_customers_order_is_not_found(fake):
    seed(fake, make_order())
    seed(fake, customer_id=OTHER_CUSTOMER_ID)

    assert fake.get_order(OTHER_CUSTOMER_ID, ORDER_ID) is None
    with pytest.raises(NotFound):
        fake.cancellation_quote(OTHER_CUSTOMER_ID, ORDER_ID)
    with pytest.raises(NotFound):
        fake.cancel_order(OTHER_CUSTOMER_ID, ORDER_ID)
    assert fake.get_order(CUSTOMER_ID, ORDER_ID).status == "processing"


def test_an_unknown_customer_is_not_found(fake):
    with pytest.raises(NotFound):
        fake.get_profile(CUSTOMER_ID)


def test_orders_are_listed_newest_first_up_to_the_limit(fake):
    old = make_order("ORD-000002", placed_at=NOW - timedelta(days=9))
    new = make_order("ORD-000003", placed_at=NOW - timedelta(days=1))
    seed(fake, old, new, make_order(placed_at=NOW - timedelta(days=5)))

    assert [o.id for o in fake.list_orders(CUSTOMER_ID, limit=2)] == ["ORD-000003", ORDER_ID]


# --- identities, consent, privacy ------------------------------------------------------------


def test_profiles_are_found_by_linked_identity(fake):
    seed(fake, identities={("slack", "U1"), ("email", "Jane@Example.com")})

    assert fake.find_profile("slack", "U1").customer_id == CUSTOMER_ID
    assert fake.find_profile("email", "jane@example.COM").customer_id == CUSTOMER_ID
    assert fake.find_profile("slack", "U2") is None


def test_linking_an_identity_is_idempotent_and_exclusive(fake):
    seed(fake)
    seed(fake, customer_id=OTHER_CUSTOMER_ID)

    first = fake.link_identity(CUSTOMER_ID, "email", " Jane@Example.com ")
    again = fake.link_identity(CUSTOMER_ID, "email", "jane@example.com")

    assert first == again == IdentityLink(channel="email", external_id="jane@example.com")
    with pytest.raises(RuleViolation, match="already linked to another customer"):
        fake.link_identity(OTHER_CUSTOMER_ID, "email", "jane@example.com")
    with pytest.raises(InvalidRequest):
        fake.link_identity(CUSTOMER_ID, "fax", "+49301234")


def test_consent_changes_show_in_consents_and_profile(fake, clock):
    seed(fake)

    consent = fake.set_consent(CUSTOMER_ID, "newsletter", True)

    assert (consent.purpose, consent.granted, consent.source, consent.at) == (
        "newsletter",
        True,
        "chat",
        NOW,
    )
    assert {c.purpose: c.granted for c in fake.get_consents(CUSTOMER_ID)} == {
        "marketing_email": True,
        "newsletter": True,
    }
    fake.set_consent(CUSTOMER_ID, "marketing_email", False)
    assert fake.get_profile(CUSTOMER_ID).consents == {"marketing_email": False, "newsletter": True}
    with pytest.raises(InvalidRequest):
        fake.set_consent(CUSTOMER_ID, "selling_data", True)


def test_export_then_erasure_removes_the_customer(fake):
    newer = make_order("ORD-000002", placed_at=NOW - timedelta(hours=1))
    seed(fake, make_order(), newer, identities={("slack", "U1")})
    exported = fake.export_customer(CUSTOMER_ID)
    assert [o.id for o in exported.orders] == ["ORD-000002", ORDER_ID]
    assert exported.identities == [{"channel": "slack", "external_id": "U1"}]

    result = fake.erase_customer(CUSTOMER_ID, reason="asked in chat")

    assert result.erased["customers"] == 1
    assert result.erased["orders"] == 2
    assert result.erased["identities"] == 1
    with pytest.raises(NotFound):
        fake.get_profile(CUSTOMER_ID)
    assert fake.find_profile("slack", "U1") is None


def test_seeding_the_same_customer_twice_is_a_test_bug(fake):
    seed(fake)
    with pytest.raises(ValueError):
        seed(fake)


# --- outage ----------------------------------------------------------------------------------

EVERY_CALL = {
    "get_profile": lambda c: c.get_profile(CUSTOMER_ID),
    "find_profile": lambda c: c.find_profile("slack", "U1"),
    "list_orders": lambda c: c.list_orders(CUSTOMER_ID),
    "get_order": lambda c: c.get_order(CUSTOMER_ID, ORDER_ID),
    "cancellation_quote": lambda c: c.cancellation_quote(CUSTOMER_ID, ORDER_ID),
    "cancel_order": lambda c: c.cancel_order(CUSTOMER_ID, ORDER_ID),
    "change_shipping_address": lambda c: c.change_shipping_address(
        CUSTOMER_ID, ORDER_ID, NEW_ADDRESS
    ),
    "request_refund": lambda c: c.request_refund(CUSTOMER_ID, ORDER_ID, "broken"),
    "list_refunds": lambda c: c.list_refunds(CUSTOMER_ID),
    "list_invoices": lambda c: c.list_invoices(CUSTOMER_ID),
    "list_payments": lambda c: c.list_payments(CUSTOMER_ID),
    "list_tickets": lambda c: c.list_tickets(CUSTOMER_ID),
    "create_ticket": lambda c: c.create_ticket(CUSTOMER_ID, "feedback", "Great service"),
    "get_consents": lambda c: c.get_consents(CUSTOMER_ID),
    "set_consent": lambda c: c.set_consent(CUSTOMER_ID, "newsletter", True),
    "link_identity": lambda c: c.link_identity(CUSTOMER_ID, "slack", "U9"),
    "update_contact_details": lambda c: c.update_contact_details(CUSTOMER_ID, phone="+4917612345"),
    "export_customer": lambda c: c.export_customer(CUSTOMER_ID),
    "erase_customer": lambda c: c.erase_customer(CUSTOMER_ID),
}


def test_every_interface_method_is_covered_by_the_outage_test():
    assert set(EVERY_CALL) == CustomerDataClient.__abstractmethods__ - {"close"}


@pytest.mark.parametrize("call", EVERY_CALL.values(), ids=EVERY_CALL.keys())
def test_when_unavailable_every_call_raises_service_unavailable(fake, call):
    seed(fake, make_order(), identities={("slack", "U1")})
    fake.available = False

    with pytest.raises(ServiceUnavailable):
        call(fake)

    fake.available = True
    try:
        call(fake)  # the same call reaches the data again once the service is back
    except RuleViolation:
        pass  # the rules may refuse (e.g. a refund of an undelivered order): that is an answer
