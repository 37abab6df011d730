from datetime import timedelta

import pytest
from rasa_sdk.events import SlotSet

from actions.customer_data_action import use_client
from actions.delivery import ActionChangeShippingAddress, ActionSaveShippingAddress
from tests.unit.actions.clients.samples import (
    CUSTOMER_ID,
    NOW,
    OTHER_CUSTOMER_ID,
    make_order,
    make_profile,
)
from tests.unit.actions.live_data import (
    ANONYMOUS,
    VERIFIED,
    installed_fake,
    make_tracker,
    offer_events,
    sent,
)

PROCESSING = "ORD-000001"
SHIPPED = "ORD-000002"
SOMEONE_ELSES = "ORD-000007"
NEW_ADDRESS = "Flat 2, 14 Elm Street, 10115 Berlin, Germany"
CLEARED = [SlotSet("shipping_address", None)]


@pytest.fixture
def fake():
    client = installed_fake()
    client.add_customer(
        make_profile(),
        orders=[make_order(PROCESSING), make_order(SHIPPED, "shipped", NOW - timedelta(days=2))],
    )
    client.add_customer(make_profile(OTHER_CUSTOMER_ID), orders=[make_order(SOMEONE_ELSES)])
    yield client
    use_client(None)


def address_tracker(order_id, identity=VERIFIED, address=NEW_ADDRESS):
    return make_tracker(slots={**identity, "order_id": order_id, "shipping_address": address})


async def test_verified_customer_gets_the_new_address_on_the_order(fake, dispatcher, domain):
    events = await ActionChangeShippingAddress().run(
        dispatcher, address_tracker(PROCESSING), domain
    )
    assert events == CLEARED
    assert sent(dispatcher) == [
        (
            "utter_shipping_address_changed",
            {"order_id": PROCESSING, "shipping_address": NEW_ADDRESS},
        )
    ]
    assert fake.get_order(CUSTOMER_ID, PROCESSING).shipping_address == NEW_ADDRESS


async def test_shipped_order_keeps_its_address_and_the_refusal_is_explained(
    fake, dispatcher, domain
):
    events = await ActionChangeShippingAddress().run(dispatcher, address_tracker(SHIPPED), domain)
    assert events == CLEARED
    [(name, variables)] = sent(dispatcher)
    assert name == "utter_cannot_change_address"
    assert "can only change before it ships" in variables["reason"]
    assert fake.get_order(CUSTOMER_ID, SHIPPED).shipping_address != NEW_ADDRESS


async def test_someone_elses_order_is_not_redirected(fake, dispatcher, domain):
    tracker = address_tracker(SOMEONE_ELSES)
    await ActionChangeShippingAddress().run(dispatcher, tracker, domain)
    assert sent(dispatcher) == [("utter_order_not_on_account", {"order_id": SOMEONE_ELSES})]
    assert fake.get_order(OTHER_CUSTOMER_ID, SOMEONE_ELSES).shipping_address != NEW_ADDRESS


async def test_nothing_more_to_say_when_the_form_already_refused(fake, dispatcher, domain):
    tracker = address_tracker(SHIPPED, address=None)
    assert await ActionChangeShippingAddress().run(dispatcher, tracker, domain) == CLEARED
    assert dispatcher.messages == []


async def test_anonymous_visitor_gets_instructions_and_the_offer(fake, dispatcher, domain):
    tracker = address_tracker(PROCESSING, ANONYMOUS, address=None)
    events = await ActionChangeShippingAddress().run(dispatcher, tracker, domain)
    assert events == CLEARED + offer_events("change_address_form")
    assert sent(dispatcher) == [("utter_change_address_instructions", {})]


async def test_outage_forgets_the_address(fake, dispatcher, domain):
    fake.available = False
    events = await ActionChangeShippingAddress().run(
        dispatcher, address_tracker(PROCESSING), domain
    )
    assert events == CLEARED
    assert sent(dispatcher) == [("utter_service_unavailable", {})]


@pytest.mark.parametrize(
    "slots, response",
    [
        ({**VERIFIED, "customer_first_name": "Jane"}, "utter_save_address_instructions_personal"),
        (ANONYMOUS, "utter_save_address_instructions"),
    ],
)
async def test_saving_an_address_is_explained(slots, response, dispatcher, domain):
    tracker = make_tracker(slots={**slots, "shipping_address": NEW_ADDRESS})
    assert await ActionSaveShippingAddress().run(dispatcher, tracker, domain) == CLEARED
    assert sent(dispatcher) == [(response, {})]
    assert response in domain["responses"]
