from datetime import timedelta
from decimal import Decimal

import pytest
from rasa_sdk.events import SlotSet

from actions.customer_data_action import use_client
from actions.invoices import ActionListInvoices, ActionSendInvoice
from customer_data.schemas import InvoiceOut
from tests.unit.actions.clients.samples import NOW, make_order, make_profile
from tests.unit.actions.live_data import (
    ANONYMOUS,
    VERIFIED,
    installed_fake,
    make_tracker,
    offer_events,
    sent,
)

INVOICED = "ORD-000002"
NOT_INVOICED = "ORD-000001"


def invoice(number, days_ago, amount="59.90"):
    return InvoiceOut(
        id=f"INV-{number:06d}",
        order_id=f"ORD-{number:06d}",
        amount=Decimal(amount),
        currency="EUR",
        issued_at=NOW - timedelta(days=days_ago),
        status="paid",
    )


@pytest.fixture
def fake():
    client = installed_fake()
    client.add_customer(
        make_profile(),
        orders=[make_order(NOT_INVOICED), make_order(INVOICED, "delivered")],
        invoices=[invoice(number, days_ago=number) for number in range(2, 9)],
    )
    yield client
    use_client(None)


# --- action_list_invoices -------------------------------------------------------------------


async def test_the_five_most_recent_invoices_are_listed(fake, dispatcher, domain):
    events = await ActionListInvoices().run(dispatcher, make_tracker(VERIFIED), domain)

    assert events == []
    assert sent(dispatcher) == [
        (
            "utter_invoice_list",
            {
                "invoice_lines": "\n".join(
                    [
                        "• INV-000002 for ORD-000002: 59.90 EUR, 29 April 2024",
                        "• INV-000003 for ORD-000003: 59.90 EUR, 28 April 2024",
                        "• INV-000004 for ORD-000004: 59.90 EUR, 27 April 2024",
                        "• INV-000005 for ORD-000005: 59.90 EUR, 26 April 2024",
                        "• INV-000006 for ORD-000006: 59.90 EUR, 25 April 2024",
                    ]
                )
            },
        )
    ]


async def test_no_invoices_yet(dispatcher, domain):
    installed_fake().add_customer(make_profile())
    try:
        await ActionListInvoices().run(dispatcher, make_tracker(VERIFIED), domain)
    finally:
        use_client(None)

    assert sent(dispatcher) == [("utter_no_invoices", {})]


async def test_invoice_list_for_an_anonymous_visitor(fake, dispatcher, domain):
    events = await ActionListInvoices().run(dispatcher, make_tracker(ANONYMOUS), domain)

    assert events == offer_events("action_list_invoices")
    assert sent(dispatcher) == [("utter_check_invoice", {})]


async def test_invoice_list_during_an_outage(fake, dispatcher, domain):
    fake.available = False

    events = await ActionListInvoices().run(dispatcher, make_tracker(VERIFIED), domain)

    assert events == []
    assert sent(dispatcher) == [("utter_service_unavailable", {})]


# --- action_send_invoice --------------------------------------------------------------------


async def test_the_invoice_of_the_order_with_where_to_download_it(fake, dispatcher, domain):
    tracker = make_tracker({**VERIFIED, "order_id": INVOICED})

    events = await ActionSendInvoice().run(dispatcher, tracker, domain)

    assert events == []
    assert sent(dispatcher) == [
        (
            "utter_invoice_details",
            {
                "invoice_id": "INV-000002",
                "order_id": INVOICED,
                "amount": "59.90",
                "currency": "EUR",
                "issued_on": "29 April 2024",
            },
        )
    ]


async def test_an_order_without_an_invoice_yet(fake, dispatcher, domain):
    tracker = make_tracker({**VERIFIED, "order_id": NOT_INVOICED})

    events = await ActionSendInvoice().run(dispatcher, tracker, domain)

    assert events == []
    assert sent(dispatcher) == [("utter_no_invoice_yet", {"order_id": NOT_INVOICED})]


async def test_an_order_that_is_not_the_customers(fake, dispatcher, domain):
    tracker = make_tracker({**VERIFIED, "order_id": "ORD-999999"})

    events = await ActionSendInvoice().run(dispatcher, tracker, domain)

    assert events == [SlotSet("order_id", None)]
    assert sent(dispatcher) == [("utter_order_not_on_account", {"order_id": "ORD-999999"})]


async def test_invoice_for_an_anonymous_visitor(fake, dispatcher, domain):
    tracker = make_tracker({**ANONYMOUS, "order_id": INVOICED})

    events = await ActionSendInvoice().run(dispatcher, tracker, domain)

    assert events == offer_events("invoice_form")
    assert sent(dispatcher) == [("utter_invoice_instructions", {})]


async def test_invoice_during_an_outage(fake, dispatcher, domain):
    fake.available = False
    tracker = make_tracker({**VERIFIED, "order_id": INVOICED})

    events = await ActionSendInvoice().run(dispatcher, tracker, domain)

    assert events == []
    assert sent(dispatcher) == [("utter_service_unavailable", {})]


def test_every_response_and_action_is_in_the_domain(domain):
    from actions import invoices

    responses = {value for key, value in vars(invoices).items() if key.startswith("UTTER_")}
    assert responses <= set(domain["responses"])
    assert {"action_list_invoices", "action_send_invoice"} <= set(domain["actions"])
