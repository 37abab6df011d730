import pytest
from rasa_sdk.events import SlotSet

from actions.form_validation import (
    ValidateCancelOrderForm,
    ValidateChangeAddressForm,
    ValidateInvoiceForm,
    ValidateNewAddressForm,
    ValidateRefundForm,
    ValidateRefundReasonForm,
    ValidateTrackOrderForm,
    ValidateTrackRefundForm,
)
from tests.unit.actions.conftest import make_tracker

ORDER_FORMS = [
    (ValidateTrackOrderForm, "track_order_form"),
    (ValidateCancelOrderForm, "cancel_order_form"),
    (ValidateChangeAddressForm, "change_address_form"),
    (ValidateRefundForm, "refund_form"),
    (ValidateTrackRefundForm, "track_refund_form"),
    (ValidateInvoiceForm, "invoice_form"),
]


def test_every_form_in_the_domain_has_a_validation_action(domain):
    others = {ValidateNewAddressForm().name(), ValidateRefundReasonForm().name()}
    names = {action().name() for action, _ in ORDER_FORMS} | others
    assert names == {f"validate_{form}" for form in domain["forms"]}


@pytest.mark.parametrize("action_class, form", ORDER_FORMS)
async def test_order_number_is_stored_in_canonical_form(action_class, form, dispatcher, domain):
    tracker = make_tracker(
        slots={"requested_slot": "order_id"},
        just_set={"order_id": "it's 583 920"},
        text="it's 583 920",
        active_loop=form,
    )
    events = await action_class().run(dispatcher, tracker, domain)
    assert events == [SlotSet("order_id", "ORD-583920")]
    assert dispatcher.messages == []


@pytest.mark.parametrize("action_class, form", ORDER_FORMS)
async def test_invalid_order_number_is_rejected_and_explained(
    action_class, form, dispatcher, domain
):
    tracker = make_tracker(
        slots={"requested_slot": "order_id"},
        just_set={"order_id": "the blue one"},
        text="the blue one",
        active_loop=form,
    )
    events = await action_class().run(dispatcher, tracker, domain)
    assert events == [SlotSet("order_id", None)]
    assert [message["response"] for message in dispatcher.messages] == ["utter_invalid_order_id"]


@pytest.mark.parametrize(
    "action_class, form",
    [
        (ValidateChangeAddressForm, "change_address_form"),
        (ValidateNewAddressForm, "new_address_form"),
    ],
)
async def test_address_is_tidied(action_class, form, dispatcher, domain):
    tracker = make_tracker(
        slots={"order_id": "ORD-583920", "requested_slot": "shipping_address"},
        just_set={"shipping_address": " 12  Baker Street, London NW1 6XE "},
        active_loop=form,
    )
    events = await action_class().run(dispatcher, tracker, domain)
    assert events == [SlotSet("shipping_address", "12 Baker Street, London NW1 6XE")]
    assert dispatcher.messages == []


async def test_incomplete_address_is_asked_again(dispatcher, domain):
    tracker = make_tracker(
        slots={"requested_slot": "shipping_address"},
        just_set={"shipping_address": "at home"},
        active_loop="new_address_form",
    )
    events = await ValidateNewAddressForm().run(dispatcher, tracker, domain)
    assert events == [SlotSet("shipping_address", None)]
    assert [message["response"] for message in dispatcher.messages] == ["utter_invalid_address"]


async def test_partial_entity_falls_back_to_the_whole_message(dispatcher, domain):
    tracker = make_tracker(
        slots={"requested_slot": "order_id"},
        just_set={"order_id": "913"},
        text="the order number is 482 913",
        active_loop="track_order_form",
    )
    events = await ValidateTrackOrderForm().run(dispatcher, tracker, domain)
    assert events == [SlotSet("order_id", "ORD-482913")]


async def test_refund_reason_is_tidied_and_bounded(dispatcher, domain):
    tracker = make_tracker(
        slots={"requested_slot": "refund_reason"},
        just_set={"refund_reason": "  wrong   item " + "x" * 400},
        active_loop="refund_reason_form",
    )
    events = await ValidateRefundReasonForm().run(dispatcher, tracker, domain)
    assert len(events) == 1
    assert events[0]["value"].startswith("wrong item x")
    assert len(events[0]["value"]) == 300
