from datetime import timedelta

import pytest
from rasa_sdk.events import SlotSet

from actions.customer_data_action import use_client
from actions.order_choice import AskCancelOrderId, AskChangeAddressOrderId, AskTrackOrderId
from actions.orders import ActionAskCancelConfirmation, ActionCancelOrder, ActionCheckOrderStatus
from customer_data.schemas import StatusChangeOut
from tests.unit.actions.clients.samples import (
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

PROCESSING = "ORD-000001"  # placed 2 hours ago: free to cancel
OLD_PROCESSING = "ORD-000005"  # placed 3 days ago: a silver member pays 2.50 EUR
SHIPPED_LATE = "ORD-000002"  # shipped, due 2 days ago
DELIVERED = "ORD-000003"
CANCELLED = "ORD-000004"
SOMEONE_ELSES = "ORD-000007"
CUSTOMER = {**VERIFIED, "open_order_ids": [PROCESSING, OLD_PROCESSING, SHIPPED_LATE]}
CUSTOMER["last_order_id"] = PROCESSING


def cancelled_order():
    order = make_order(CANCELLED, "processing", NOW - timedelta(days=8))
    history = [*order.status_history, StatusChangeOut(status="cancelled", at=NOW - timedelta(7))]
    return order.copy(update={"status": "cancelled", "status_history": history})


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr("actions.order_answers.today", lambda: NOW.date())
    client = installed_fake()
    client.add_customer(
        make_profile(),
        orders=[
            make_order(PROCESSING),
            make_order(OLD_PROCESSING, "processing", NOW - timedelta(days=3), "30.00"),
            make_order(SHIPPED_LATE, "shipped", NOW - timedelta(days=6)),
            make_order(
                DELIVERED, "delivered", NOW - timedelta(days=9), delivered_at=NOW - timedelta(2)
            ),
            cancelled_order(),
        ],
    )
    client.add_customer(make_profile(OTHER_CUSTOMER_ID), orders=[make_order(SOMEONE_ELSES)])
    yield client
    use_client(None)


def order_tracker(order_id, identity=CUSTOMER, **slots):
    return make_tracker(slots={**identity, "order_id": order_id, **slots})


# --- action_check_order_status --------------------------------------------------------------


@pytest.mark.parametrize(
    "order_id, response, variable, value",
    [
        (PROCESSING, "utter_order_status_preparing", "arrival", "by 5 May 2024"),
        (DELIVERED, "utter_order_status_delivered", "delivered_when", "on 29 April 2024"),
        (CANCELLED, "utter_order_status_cancelled", "cancelled_when", "on 24 April 2024"),
    ],
)
async def test_verified_customer_gets_the_live_status(
    order_id, response, variable, value, fake, dispatcher, domain
):
    events = await ActionCheckOrderStatus().run(dispatcher, order_tracker(order_id), domain)
    assert events == []
    [(name, variables)] = sent(dispatcher)
    assert (name, variables["order_id"], variables[variable]) == (response, order_id, value)
    assert name in domain["responses"]


async def test_late_order_gets_its_dates_and_an_apology(fake, dispatcher, domain):
    await ActionCheckOrderStatus().run(dispatcher, order_tracker(SHIPPED_LATE), domain)
    assert sent(dispatcher) == [
        (
            "utter_order_status_shipped",
            {
                "order_id": SHIPPED_LATE,
                "status": "shipped",
                "placed_on": "25 April 2024",
                "arrival": "by 29 April 2024",
                "shipped_when": "on 25 April 2024",
                "delivered_when": "recently",
                "cancelled_when": "recently",
            },
        ),
        ("utter_delay_apology", {"order_id": SHIPPED_LATE}),
    ]


async def test_another_customers_order_is_not_found_and_forgotten(fake, dispatcher, domain):
    events = await ActionCheckOrderStatus().run(dispatcher, order_tracker(SOMEONE_ELSES), domain)
    assert events == [SlotSet("order_id", None)]
    assert sent(dispatcher) == [("utter_order_not_on_account", {"order_id": SOMEONE_ELSES})]


async def test_anonymous_visitor_gets_the_general_answer_and_the_offer(fake, dispatcher, domain):
    tracker = order_tracker(SOMEONE_ELSES, ANONYMOUS)
    events = await ActionCheckOrderStatus().run(dispatcher, tracker, domain)
    assert events == offer_events("track_order_form")
    assert sent(dispatcher) == [("utter_order_status_general", {})]


async def test_no_offer_once_verification_failed_three_times(fake, dispatcher, domain):
    tracker = order_tracker(PROCESSING, ANONYMOUS, verification_attempts=3)
    assert await ActionCheckOrderStatus().run(dispatcher, tracker, domain) == []


async def test_a_standing_offer_is_withdrawn_for_a_verified_customer(fake, dispatcher, domain):
    tracker = order_tracker(PROCESSING, verification_offered=True)
    events = await ActionCheckOrderStatus().run(dispatcher, tracker, domain)
    assert events == [SlotSet("verification_offered", None)]


async def test_outage_gets_the_polite_answer(fake, dispatcher, domain):
    fake.available = False
    events = await ActionCheckOrderStatus().run(dispatcher, order_tracker(PROCESSING), domain)
    assert events == []
    assert sent(dispatcher) == [("utter_service_unavailable", {})]


# --- action_cancel_order --------------------------------------------------------------------


async def test_confirmed_cancellation_within_a_day_is_free(fake, dispatcher, domain):
    tracker = order_tracker(PROCESSING, cancel_confirmed=True)
    events = await ActionCancelOrder().run(dispatcher, tracker, domain)
    assert sent(dispatcher) == [("utter_order_cancelled", {"order_id": PROCESSING})]
    assert events == [
        SlotSet("cancel_confirmed", None),
        SlotSet("open_order_ids", [OLD_PROCESSING, SHIPPED_LATE]),
    ]
    assert fake.get_order(VERIFIED["customer_id"], PROCESSING).status == "cancelled"


async def test_confirmed_cancellation_after_a_day_charges_the_quoted_fee(fake, dispatcher, domain):
    tracker = order_tracker(OLD_PROCESSING, cancel_confirmed=True)
    await ActionCancelOrder().run(dispatcher, tracker, domain)
    assert sent(dispatcher) == [
        ("utter_order_cancelled_with_fee", {"order_id": OLD_PROCESSING, "fee": "2.50 EUR"})
    ]


async def test_shipped_order_is_refused_with_the_rules_reason(fake, dispatcher, domain):
    tracker = order_tracker(SHIPPED_LATE, cancel_confirmed=True)
    events = await ActionCancelOrder().run(dispatcher, tracker, domain)
    assert events == [SlotSet("cancel_confirmed", None)]
    [(name, variables)] = sent(dispatcher)
    assert name == "utter_cannot_cancel_order"
    assert variables["reason"].endswith("return it instead")
    assert fake.get_order(VERIFIED["customer_id"], SHIPPED_LATE).status == "shipped"


async def test_someone_elses_order_is_never_cancelled(fake, dispatcher, domain):
    tracker = order_tracker(SOMEONE_ELSES, cancel_confirmed=True)
    await ActionCancelOrder().run(dispatcher, tracker, domain)
    assert sent(dispatcher) == [("utter_order_not_on_account", {"order_id": SOMEONE_ELSES})]
    assert fake.get_order(OTHER_CUSTOMER_ID, SOMEONE_ELSES).status == "processing"


async def test_a_no_keeps_the_order(fake, dispatcher, domain):
    tracker = order_tracker(PROCESSING, cancel_confirmed=False)
    events = await ActionCancelOrder().run(dispatcher, tracker, domain)
    assert events == [SlotSet("cancel_confirmed", None)]
    assert sent(dispatcher) == [("utter_cancel_order_kept", {})]
    assert fake.get_order(VERIFIED["customer_id"], PROCESSING).status == "processing"


async def test_nothing_more_to_say_when_the_form_already_refused(fake, dispatcher, domain):
    events = await ActionCancelOrder().run(dispatcher, order_tracker(SHIPPED_LATE), domain)
    assert events == [SlotSet("cancel_confirmed", None)]
    assert dispatcher.messages == []


async def test_anonymous_cancellation_gets_instructions_and_the_offer(fake, dispatcher, domain):
    tracker = order_tracker(PROCESSING, ANONYMOUS)
    events = await ActionCancelOrder().run(dispatcher, tracker, domain)
    assert events == [SlotSet("cancel_confirmed", None), *offer_events("cancel_order_form")]
    assert sent(dispatcher) == [("utter_cancel_order_instructions", {})]


async def test_cancellation_outage_forgets_the_confirmation(fake, dispatcher, domain):
    fake.available = False
    tracker = order_tracker(PROCESSING, cancel_confirmed=True)
    events = await ActionCancelOrder().run(dispatcher, tracker, domain)
    assert events == [SlotSet("cancel_confirmed", None)]
    assert sent(dispatcher) == [("utter_service_unavailable", {})]


# --- action_ask_cancel_order_form_cancel_confirmed -------------------------------------------


@pytest.mark.parametrize(
    "order_id, expected",
    [
        (PROCESSING, ("utter_confirm_cancellation_free", {"order_id": PROCESSING})),
        (
            OLD_PROCESSING,
            ("utter_confirm_cancellation_fee", {"order_id": OLD_PROCESSING, "fee": "2.50 EUR"}),
        ),
    ],
)
async def test_confirmation_question_shows_the_fee(order_id, expected, fake, dispatcher, domain):
    events = await ActionAskCancelConfirmation().run(dispatcher, order_tracker(order_id), domain)
    assert events == []
    assert sent(dispatcher) == [expected]
    assert domain["responses"][expected[0]][0]["buttons"]


async def test_confirmation_question_outage_ends_the_form(fake, dispatcher, domain):
    fake.available = False
    events = await ActionAskCancelConfirmation().run(dispatcher, order_tracker(PROCESSING), domain)
    assert events == [SlotSet("requested_slot", None)]
    assert sent(dispatcher) == [("utter_service_unavailable", {})]


async def test_confirmation_question_without_identity_names_no_fee(fake, dispatcher, domain):
    tracker = order_tracker(PROCESSING, ANONYMOUS)
    await ActionAskCancelConfirmation().run(dispatcher, tracker, domain)
    assert sent(dispatcher) == [("utter_ask_cancel_order_form_cancel_confirmed", {})]


# --- action_ask_<form>_order_id ---------------------------------------------------------------


@pytest.mark.parametrize(
    "action_class", [AskTrackOrderId, AskCancelOrderId, AskChangeAddressOrderId]
)
async def test_verified_customer_picks_an_order_from_buttons(action_class, dispatcher, domain):
    slots = {**CUSTOMER, "last_order_id": DELIVERED}
    await action_class().run(dispatcher, make_tracker(slots=slots), domain)
    [message] = dispatcher.messages
    assert message["response"] == "utter_ask_which_order"
    assert [button["title"] for button in message["buttons"]] == [
        PROCESSING,
        OLD_PROCESSING,
        SHIPPED_LATE,
        DELIVERED,
    ]
    assert message["buttons"][0]["payload"] == '/inform{"order_id": "ORD-000001"}'
    assert action_class().name() in domain["actions"]


@pytest.mark.parametrize(
    "action_class", [AskTrackOrderId, AskCancelOrderId, AskChangeAddressOrderId]
)
async def test_anonymous_visitor_is_asked_the_forms_own_question(action_class, dispatcher, domain):
    await action_class().run(dispatcher, make_tracker(slots=ANONYMOUS), domain)
    [message] = dispatcher.messages
    assert message["response"] == action_class().general_question()
    assert "buttons" not in message or not message["buttons"]
    assert message["response"] in domain["responses"]
