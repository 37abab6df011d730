from datetime import timedelta
from decimal import Decimal

import pytest

from actions.customer_data_action import use_client
from actions.payments import ActionExplainPaymentIssue
from customer_data.schemas import PaymentOut
from tests.unit.actions.clients.samples import NOW, make_profile
from tests.unit.actions.live_data import (
    ANONYMOUS,
    VERIFIED,
    installed_fake,
    make_tracker,
    offer_events,
    sent,
)


def failed_payment(payment_id, method, days_ago, reason="card declined"):
    return PaymentOut(
        id=payment_id,
        order_id="ORD-000001",
        method=method,
        amount=Decimal("59.9"),
        currency="EUR",
        status="failed",
        failure_reason=reason,
        at=NOW - timedelta(days=days_ago),
    )


@pytest.fixture
def fake():
    client = installed_fake()
    yield client
    use_client(None)


async def test_the_latest_failed_payment_is_explained(fake, dispatcher, domain):
    fake.add_customer(
        make_profile(
            recent_failed_payments=[
                failed_payment("PAY-000001", "card", 9),
                failed_payment("PAY-000002", "apple_pay", 2, reason="authentication failed"),
            ]
        )
    )

    events = await ActionExplainPaymentIssue().run(dispatcher, make_tracker(VERIFIED), domain)

    assert events == []
    assert sent(dispatcher) == [
        (
            "utter_payment_failed",
            {
                "payment_method": "Apple Pay",
                "amount": "59.90",
                "currency": "EUR",
                "order_id": "ORD-000001",
                "failure_reason": "authentication failed",
                "failed_on": "29 April 2024",
            },
        )
    ]


async def test_a_failure_without_a_reason_says_so(fake, dispatcher, domain):
    fake.add_customer(
        make_profile(recent_failed_payments=[failed_payment("PAY-1", "klarna", 1, reason=None)])
    )

    await ActionExplainPaymentIssue().run(dispatcher, make_tracker(VERIFIED), domain)

    [(_, variables)] = sent(dispatcher)
    assert variables["payment_method"] == "Klarna"
    assert variables["failure_reason"] == "the payment provider gave no reason"


async def test_no_failed_payment_gives_the_troubleshooting_answer(fake, dispatcher, domain):
    fake.add_customer(make_profile())

    events = await ActionExplainPaymentIssue().run(dispatcher, make_tracker(VERIFIED), domain)

    assert events == []
    assert sent(dispatcher) == [("utter_payment_issue", {})]


async def test_an_anonymous_visitor_gets_troubleshooting_and_the_offer(fake, dispatcher, domain):
    events = await ActionExplainPaymentIssue().run(dispatcher, make_tracker(ANONYMOUS), domain)

    assert events == offer_events("action_explain_payment_issue")
    assert sent(dispatcher) == [("utter_payment_issue", {})]


async def test_payment_issue_during_an_outage(fake, dispatcher, domain):
    fake.add_customer(make_profile())
    fake.available = False

    events = await ActionExplainPaymentIssue().run(dispatcher, make_tracker(VERIFIED), domain)

    assert events == []
    assert sent(dispatcher) == [("utter_service_unavailable", {})]


def test_every_response_and_action_is_in_the_domain(domain):
    assert {"utter_payment_issue", "utter_payment_failed"} <= set(domain["responses"])
    assert "action_explain_payment_issue" in domain["actions"]
