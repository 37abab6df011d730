import importlib
import pkgutil
from datetime import timedelta

import pytest
from rasa_sdk import FormValidationAction
from rasa_sdk.events import SlotSet

import actions
from actions.customer_data_action import use_client
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
from actions.identity import issue_customer_token
from tests.unit.actions.clients.samples import (
    CUSTOMER_ID,
    NOW,
    OTHER_CUSTOMER_ID,
    make_order,
    make_profile,
)
from tests.unit.actions.conftest import make_tracker
from tests.unit.actions.live_data import installed_fake, sent

ORDER_FORMS = [
    (ValidateTrackOrderForm, "track_order_form"),
    (ValidateCancelOrderForm, "cancel_order_form"),
    (ValidateChangeAddressForm, "change_address_form"),
    (ValidateRefundForm, "refund_form"),
    (ValidateTrackRefundForm, "track_refund_form"),
    (ValidateInvoiceForm, "invoice_form"),
]
# Forms that ask an anonymous visitor only the order number: a valid one ends them.
ORDER_ONLY_WHEN_ANONYMOUS = {"cancel_order_form", "change_address_form"}
PROCESSING = "ORD-000001"
SHIPPED = "ORD-000002"
SOMEONE_ELSES = "ORD-000007"
SECRET = "test-secret-for-the-web-page-0123456789"  # noqa: S105
VERIFIED = {
    "customer_id": CUSTOMER_ID,
    "verified": True,
    "identity_source": "web_token",
    "open_order_ids": [PROCESSING],
    "last_order_id": SHIPPED,
}
TWO_OPEN = {**VERIFIED, "open_order_ids": [PROCESSING, SHIPPED]}
FORM_ENDS = SlotSet("requested_slot", None)


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


def form_validation_actions():
    for module in pkgutil.iter_modules(actions.__path__):
        importlib.import_module(f"actions.{module.name}")
    pending, found = list(FormValidationAction.__subclasses__()), set()
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if not getattr(cls, "__abstractmethods__", None):
            found.add(cls().name())
    return found


def test_every_form_in_the_domain_has_a_validation_action(domain):
    expected = {f"validate_{form}" for form in domain["forms"]}
    assert expected <= form_validation_actions()
    assert expected <= set(domain["actions"])


# --- anonymous visitors: the order number in any format ---------------------------------------


@pytest.mark.parametrize("action_class, form", ORDER_FORMS)
async def test_order_number_is_stored_in_canonical_form(action_class, form, dispatcher, domain):
    tracker = make_tracker(
        slots={"requested_slot": "order_id"},
        just_set={"order_id": "it's 583 920"},
        text="it's 583 920",
        active_loop=form,
    )
    events = await action_class().run(dispatcher, tracker, domain)
    form_ends = [FORM_ENDS] if form in ORDER_ONLY_WHEN_ANONYMOUS else []
    assert events == [SlotSet("order_id", "ORD-583920"), *form_ends]
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
    asks_again = (
        [SlotSet("requested_slot", "order_id")] if form in ORDER_ONLY_WHEN_ANONYMOUS else []
    )
    assert events == [SlotSet("order_id", None), *asks_again]
    assert [message["response"] for message in dispatcher.messages] == ["utter_invalid_order_id"]


async def test_partial_entity_falls_back_to_the_whole_message(dispatcher, domain):
    tracker = make_tracker(
        slots={"requested_slot": "order_id"},
        just_set={"order_id": "913"},
        text="the order number is 482 913",
        active_loop="track_order_form",
    )
    events = await ValidateTrackOrderForm().run(dispatcher, tracker, domain)
    assert events == [SlotSet("order_id", "ORD-482913")]


# --- addresses and refund reasons -----------------------------------------------------------


@pytest.mark.parametrize(
    "action_class, form",
    [
        (ValidateChangeAddressForm, "change_address_form"),
        (ValidateNewAddressForm, "new_address_form"),
    ],
)
async def test_address_is_tidied(action_class, form, dispatcher, domain):
    tracker = make_tracker(
        slots={**VERIFIED, "order_id": PROCESSING, "requested_slot": "shipping_address"},
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


# --- verified customers: which order they mean ----------------------------------------------


def starting(form, text, slots, entities=None):
    """The form's validation at activation (nothing requested yet)."""
    tracker = make_tracker(slots=slots, text=text, intent="track_order", active_loop=form)
    tracker.latest_message["entities"] = entities or []
    return tracker


@pytest.mark.parametrize(
    "text, slots, expected",
    [
        ("where is my last order?", TWO_OPEN, [SlotSet("order_id", SHIPPED)]),
        ("status of my most recent  purchase", VERIFIED, [SlotSet("order_id", SHIPPED)]),
        ("where is my order?", VERIFIED, [SlotSet("order_id", PROCESSING)]),  # the one open
        ("where is my order?", TWO_OPEN, []),  # asked, with buttons
        ("I ordered it last week, where is it?", TWO_OPEN, []),
        ("where is my last order?", {"verified": False}, []),  # anonymous: no guessing
    ],
)
async def test_verified_customer_need_not_type_the_number(
    text, slots, expected, fake, dispatcher, domain
):
    events = await ValidateTrackOrderForm().run(
        dispatcher, starting("track_order_form", text, slots), domain
    )
    assert events == expected
    assert dispatcher.messages == []


async def test_a_number_in_the_message_wins_over_my_last_order(fake, dispatcher, domain):
    tracker = starting(
        "track_order_form",
        f"not my last order, {PROCESSING}",
        {**VERIFIED, "order_id": PROCESSING},
        entities=[{"entity": "order_id", "value": PROCESSING}],
    )
    assert await ValidateTrackOrderForm().run(dispatcher, tracker, domain) == []


async def test_a_remembered_number_is_kept_when_several_are_open(fake, dispatcher, domain):
    tracker = starting("cancel_order_form", "cancel it", {**TWO_OPEN, "order_id": PROCESSING})
    assert await ValidateCancelOrderForm().run(dispatcher, tracker, domain) == []


# --- verified customers: checked before the flow goes on ------------------------------------


def answered(form, order_id, slots=VERIFIED):
    return make_tracker(
        slots={**slots, "requested_slot": "order_id"},
        just_set={"order_id": order_id},
        text=order_id,
        active_loop=form,
    )


@pytest.mark.parametrize("action_class, form", ORDER_FORMS[:3])
async def test_another_customers_order_is_asked_again(action_class, form, fake, dispatcher, domain):
    events = await action_class().run(dispatcher, answered(form, SOMEONE_ELSES), domain)
    assert events == [SlotSet("order_id", None)]
    assert sent(dispatcher) == [("utter_order_not_on_account", {"order_id": SOMEONE_ELSES})]


@pytest.mark.parametrize("action_class, form", ORDER_FORMS[:3])
async def test_the_customers_own_order_goes_on(action_class, form, fake, dispatcher, domain):
    events = await action_class().run(dispatcher, answered(form, PROCESSING), domain)
    assert events == [SlotSet("order_id", PROCESSING)]
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    "action_class, form, response, reason",
    [
        (ValidateCancelOrderForm, "cancel_order_form", "utter_cannot_cancel_order", "instead"),
        (ValidateChangeAddressForm, "change_address_form", "utter_cannot_change_address", "ships"),
    ],
)
async def test_a_shipped_order_ends_the_form_with_the_reason(
    action_class, form, response, reason, fake, dispatcher, domain
):
    events = await action_class().run(dispatcher, answered(form, SHIPPED), domain)
    assert events == [SlotSet("order_id", SHIPPED), FORM_ENDS]
    [(name, variables)] = sent(dispatcher)
    assert (name, variables["order_id"]) == (response, SHIPPED)
    assert variables["reason"].endswith(reason)


@pytest.mark.parametrize("action_class, form", ORDER_FORMS[1:3])
async def test_outage_ends_a_changing_form(action_class, form, fake, dispatcher, domain):
    fake.available = False
    events = await action_class().run(dispatcher, answered(form, PROCESSING), domain)
    assert events == [SlotSet("order_id", PROCESSING), FORM_ENDS]
    assert sent(dispatcher) == [("utter_service_unavailable", {})]


async def test_outage_leaves_the_status_lookup_to_the_flow(fake, dispatcher, domain):
    fake.available = False
    events = await ValidateTrackOrderForm().run(
        dispatcher, answered("track_order_form", PROCESSING), domain
    )
    assert events == [SlotSet("order_id", PROCESSING)]
    assert dispatcher.messages == []


async def test_token_on_the_message_identifies_the_customer_inside_a_form(
    fake, dispatcher, domain, monkeypatch
):
    monkeypatch.setenv("WEB_TOKEN_SECRET", SECRET)
    tracker = answered("cancel_order_form", SHIPPED, slots={"verified": False})
    tracker.latest_message["metadata"] = {
        "customer_token": issue_customer_token(CUSTOMER_ID, SECRET)
    }
    events = await ValidateCancelOrderForm().run(dispatcher, tracker, domain)
    assert SlotSet("customer_id", CUSTOMER_ID) in events
    assert events[-2:] == [SlotSet("order_id", SHIPPED), FORM_ENDS]  # checked as a customer


async def test_email_of_the_verification_is_dropped_when_the_form_resumes(fake, dispatcher, domain):
    # The resumed form re-reads the verification answer, which puts the address back in `email`.
    slots = {**VERIFIED, "identity_source": "verification", "email": "jane@example.com"}
    tracker = starting("track_order_form", "jane@example.com", {**slots, "order_id": PROCESSING})
    events = await ValidateTrackOrderForm().run(dispatcher, tracker, domain)
    assert events == [SlotSet("email", None)]
