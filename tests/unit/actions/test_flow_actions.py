import pytest
from rasa_sdk.events import SlotSet

from actions.delivery import ActionChangeShippingAddress, ActionSaveShippingAddress
from actions.invoices import ActionSendInvoice
from actions.orders import ActionCancelOrder, ActionCheckOrderStatus
from actions.refunds import ActionCheckRefundStatus, ActionRequestRefund
from tests.unit.actions.conftest import make_tracker

FLOW_ACTIONS = [
    ActionCheckOrderStatus,
    ActionCancelOrder,
    ActionChangeShippingAddress,
    ActionSaveShippingAddress,
    ActionRequestRefund,
    ActionCheckRefundStatus,
    ActionSendInvoice,
]


def test_every_flow_action_is_declared_in_the_domain(domain):
    assert {action().name() for action in FLOW_ACTIONS} <= set(domain["actions"])


def test_every_flow_response_exists_in_the_domain(domain):
    for response in [
        "utter_order_status_general",
        "utter_cancel_order_instructions",
        "utter_cancel_order_kept",
        "utter_change_address_instructions",
        "utter_save_address_instructions",
        "utter_refund_request_instructions",
        "utter_refund_status_general",
        "utter_invoice_instructions",
    ]:
        assert response in domain["responses"]


async def test_order_status_answers_and_keeps_the_order_number(dispatcher, domain):
    tracker = make_tracker(slots={"order_id": "ORD-583920"})
    events = await ActionCheckOrderStatus().run(dispatcher, tracker, domain)
    assert events == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_order_status_general"]


@pytest.mark.parametrize(
    "confirmed, response",
    [(True, "utter_cancel_order_instructions"), (False, "utter_cancel_order_kept")],
)
async def test_cancellation_follows_the_confirmation(confirmed, response, dispatcher, domain):
    tracker = make_tracker(slots={"order_id": "ORD-583920", "cancel_confirmed": confirmed})
    events = await ActionCancelOrder().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == [response]
    assert events == [SlotSet("cancel_confirmed", None)]


@pytest.mark.parametrize(
    "action_class, cleared",
    [
        (ActionChangeShippingAddress, ["shipping_address"]),
        (ActionSaveShippingAddress, ["shipping_address"]),
        (ActionRequestRefund, ["refund_reason"]),
        (ActionCheckRefundStatus, []),
        (ActionSendInvoice, []),
    ],
)
async def test_flow_clears_only_its_own_slots(action_class, cleared, dispatcher, domain):
    tracker = make_tracker(
        slots={
            "order_id": "ORD-583920",
            "shipping_address": "12 Baker Street, London NW1 6XE",
            "refund_reason": "broken",
        }
    )
    events = await action_class().run(dispatcher, tracker, domain)
    assert events == [SlotSet(slot, None) for slot in cleared]
    assert len(dispatcher.messages) == 1
    assert dispatcher.messages[0]["response"] in domain["responses"]
