from datetime import timedelta
from decimal import Decimal

import pytest
from rasa_sdk.events import SlotSet

from actions.customer_data_action import use_client
from actions.refunds import ActionCheckRefundStatus, ActionRequestRefund, refusal_response
from customer_data.schemas import RefundOut
from tests.unit.actions.clients.samples import CUSTOMER_ID, NOW, make_order, make_profile
from tests.unit.actions.live_data import (
    ANONYMOUS,
    VERIFIED,
    installed_fake,
    make_tracker,
    offer_events,
    sent,
)

DELIVERED = "ORD-000002"  # delivered 5 days ago, 100.00 EUR
DELIVERED_LONG_AGO = "ORD-000003"  # delivered 40 days ago
PROCESSING = "ORD-000001"
REFUNDED = "ORD-000004"  # delivered 3 days ago, refunded in full
UNKNOWN = "ORD-999999"


def refund(refund_id, order_id, amount, status, days_ago, resolved_days_ago=None):
    return RefundOut(
        id=refund_id,
        order_id=order_id,
        amount=Decimal(amount),
        currency="EUR",
        status=status,
        reason="broken",
        requested_at=NOW - timedelta(days=days_ago),
        resolved_at=NOW - timedelta(days=resolved_days_ago) if resolved_days_ago else None,
    )


SEEDED_REFUNDS = [
    refund("RF-000001", REFUNDED, "59.90", "paid", 2, resolved_days_ago=1),
    refund("RF-000002", DELIVERED_LONG_AGO, "10.00", "rejected", 30, resolved_days_ago=29),
]


@pytest.fixture
def fake():
    client = installed_fake()
    client.add_customer(
        make_profile(),
        orders=[
            make_order(PROCESSING),
            make_order(
                DELIVERED,
                "delivered",
                NOW - timedelta(days=10),
                "100.00",
                delivered_at=NOW - timedelta(days=5),
            ),
            make_order(
                DELIVERED_LONG_AGO,
                "delivered",
                NOW - timedelta(days=45),
                delivered_at=NOW - timedelta(days=40),
            ),
            make_order(
                REFUNDED, "delivered", NOW - timedelta(days=6), delivered_at=NOW - timedelta(days=3)
            ),
        ],
        refunds=SEEDED_REFUNDS,
    )
    yield client
    use_client(None)


def refund_tracker(order_id, identity=VERIFIED, reason="it arrived broken"):
    return make_tracker(slots={**identity, "order_id": order_id, "refund_reason": reason})


# --- action_request_refund ------------------------------------------------------------------


async def test_a_verified_customer_gets_the_refund_with_amount_and_next_steps(
    fake, dispatcher, domain
):
    events = await ActionRequestRefund().run(dispatcher, refund_tracker(DELIVERED), domain)

    assert events == [SlotSet("refund_reason", None)]
    assert sent(dispatcher) == [
        (
            "utter_refund_requested",
            {
                "refund_id": "RF-900001",
                "order_id": DELIVERED,
                "amount": "100.00",
                "currency": "EUR",
            },
        )
    ]
    [created] = [r for r in fake.list_refunds(CUSTOMER_ID) if r.id == "RF-900001"]
    assert (created.reason, created.status) == ("it arrived broken", "requested")


@pytest.mark.parametrize(
    "order_id, response",
    [
        (DELIVERED_LONG_AGO, "utter_refund_window_passed"),
        (PROCESSING, "utter_refund_not_delivered"),
        (REFUNDED, "utter_refund_already_refunded"),
    ],
)
async def test_a_refused_refund_is_explained_with_an_alternative(
    order_id, response, fake, dispatcher, domain
):
    events = await ActionRequestRefund().run(dispatcher, refund_tracker(order_id), domain)

    assert events == [SlotSet("refund_reason", None)]
    [(name, variables)] = sent(dispatcher)
    assert name == response
    assert variables["order_id"] == order_id
    assert len(fake.list_refunds(CUSTOMER_ID)) == len(SEEDED_REFUNDS)


def test_an_unknown_refusal_is_quoted():
    assert refusal_response("at most 20.00 can still be refunded") == "utter_refund_refused"


async def test_an_order_of_someone_else_is_not_on_the_account(fake, dispatcher, domain):
    fake.add_customer(
        make_profile("C0000002"),
        orders=[make_order(UNKNOWN, "delivered", NOW, delivered_at=NOW)],
    )

    events = await ActionRequestRefund().run(dispatcher, refund_tracker(UNKNOWN), domain)

    assert events == [SlotSet("refund_reason", None), SlotSet("order_id", None)]
    assert sent(dispatcher) == [("utter_order_not_on_account", {"order_id": UNKNOWN})]
    assert fake.list_refunds("C0000002") == []


async def test_an_anonymous_visitor_gets_the_instructions_and_the_offer(fake, dispatcher, domain):
    events = await ActionRequestRefund().run(
        dispatcher, refund_tracker(DELIVERED, ANONYMOUS), domain
    )

    # order and reason stay for the refund after verification
    assert events == offer_events("refund_form")
    assert sent(dispatcher) == [("utter_refund_request_instructions", {})]
    assert len(fake.list_refunds(CUSTOMER_ID)) == len(SEEDED_REFUNDS)


async def test_an_outage_answers_politely_and_forgets_the_reason(fake, dispatcher, domain):
    fake.available = False

    events = await ActionRequestRefund().run(dispatcher, refund_tracker(DELIVERED), domain)

    assert events == [SlotSet("refund_reason", None)]
    assert sent(dispatcher) == [("utter_service_unavailable", {})]


# --- action_check_refund_status -------------------------------------------------------------


async def test_the_refund_of_the_order_asked_about(fake, dispatcher, domain):
    tracker = make_tracker(slots={**VERIFIED, "order_id": REFUNDED})

    events = await ActionCheckRefundStatus().run(dispatcher, tracker, domain)

    assert events == []
    assert sent(dispatcher) == [
        (
            "utter_refund_status_paid",
            {
                "refund_id": "RF-000001",
                "order_id": REFUNDED,
                "amount": "59.90",
                "currency": "EUR",
                "status": "paid",
                "requested_on": "29 April 2024",
                "resolved_on": "30 April 2024",
            },
        )
    ]


async def test_no_refund_for_the_order_shows_the_most_recent_ones(fake, dispatcher, domain):
    tracker = make_tracker(slots={**VERIFIED, "order_id": DELIVERED})

    await ActionCheckRefundStatus().run(dispatcher, tracker, domain)

    assert [name for name, _ in sent(dispatcher)] == [
        "utter_no_refund_for_order",
        "utter_refund_status_paid",
        "utter_refund_status_rejected",
    ]
    assert sent(dispatcher)[0][1] == {"order_id": DELIVERED}
    assert sent(dispatcher)[2][1]["refund_id"] == "RF-000002"


async def test_a_requested_refund_and_then_its_status(fake, dispatcher, domain):
    await ActionRequestRefund().run(dispatcher, refund_tracker(DELIVERED), domain)
    dispatcher.messages.clear()

    tracker = make_tracker(slots={**VERIFIED, "order_id": DELIVERED})
    await ActionCheckRefundStatus().run(dispatcher, tracker, domain)

    [(name, variables)] = sent(dispatcher)
    assert name == "utter_refund_status_requested"
    assert (variables["refund_id"], variables["requested_on"]) == ("RF-900001", "1 May 2024")


async def test_a_customer_without_refunds_is_told_so(dispatcher, domain):
    client = installed_fake()
    client.add_customer(make_profile())
    try:
        tracker = make_tracker(slots={**VERIFIED, "order_id": DELIVERED})
        await ActionCheckRefundStatus().run(dispatcher, tracker, domain)
    finally:
        use_client(None)

    assert sent(dispatcher) == [("utter_no_refunds", {"order_id": DELIVERED})]


async def test_refund_status_for_an_anonymous_visitor(fake, dispatcher, domain):
    tracker = make_tracker(slots={**ANONYMOUS, "order_id": REFUNDED})

    events = await ActionCheckRefundStatus().run(dispatcher, tracker, domain)

    assert events == offer_events("track_refund_form")
    assert sent(dispatcher) == [("utter_refund_status_general", {})]


async def test_refund_status_during_an_outage(fake, dispatcher, domain):
    fake.available = False
    tracker = make_tracker(slots={**VERIFIED, "order_id": REFUNDED})

    events = await ActionCheckRefundStatus().run(dispatcher, tracker, domain)

    assert events == []
    assert sent(dispatcher) == [("utter_service_unavailable", {})]


def test_every_response_and_action_is_in_the_domain(domain):
    from actions import refunds

    responses = [value for key, value in vars(refunds).items() if key.startswith("UTTER_")]
    responses = [
        r for value in responses for r in (value.values() if isinstance(value, dict) else [value])
    ]
    assert set(responses) <= set(domain["responses"])
    assert {"action_request_refund", "action_check_refund_status"} <= set(domain["actions"])
