"""Form validation shared by every flow that asks for an order number or an address.

Each form in `domain.yml` has its own `validate_<form>` action (Rasa looks them up by name); the
slot rules live once, in the base classes below, so every flow accepts the same order-number
formats. For a verified customer the order-number forms also understand "my last order", take the
only open order without asking (where that makes sense), and check that the order is the
customer's before going on, so a wrong number is asked again instead of failing at the end.
"""

from abc import ABC, abstractmethod
from typing import Any, Dict, List

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.addresses import normalize_address
from actions.customer_data_action import customer_data_client
from actions.order_checks import (
    check_address_change,
    check_cancellation,
    check_order_exists,
)
from actions.order_choice import has_order_id_entity, mentions_last_order
from actions.order_numbers import normalize_order_id
from actions.session import SOURCE_VERIFICATION, current_customer_id, ensure_customer
from actions.slots import (
    EMAIL,
    IDENTITY_SOURCE,
    LAST_ORDER_ID,
    OPEN_ORDER_IDS,
    ORDER_ID,
    REFUND_REASON,
    REQUESTED_SLOT,
    SHIPPING_ADDRESS,
    UTTER_INVALID_ADDRESS,
    UTTER_INVALID_ORDER_ID,
)

# The customer data service stores refund reasons of up to 300 characters.
MAX_REASON_LENGTH = 300


class OrderFormValidationAction(FormValidationAction, ABC):
    """Validates `order_id` for any form that asks for one."""

    # Take a verified customer's only open order without asking (status, cancel, address).
    assume_single_open_order = False

    @abstractmethod
    def name(self) -> str:
        """The `validate_<form>` name; abstract so the SDK doesn't register this base class."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Identifies the customer from the current message first (see `actions.session`).

        A form resumed right after in-chat verification re-reads the verification answer, so
        the e-mail address lands in `email` again; no order form needs it, so it is dropped.
        """
        _, identity = await ensure_customer(customer_data_client(), tracker)
        events = identity + await super().run(dispatcher, tracker, domain)
        if tracker.get_slot(EMAIL) and tracker.get_slot(IDENTITY_SOURCE) == SOURCE_VERIFICATION:
            events.append(SlotSet(EMAIL, None))
        return events

    async def extract_order_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        """A verified customer's order meant without its number, while the form needs one."""
        if current_customer_id(tracker) is None or has_order_id_entity(tracker):
            return {}
        if tracker.get_slot(REQUESTED_SLOT) not in (None, ORDER_ID):
            return {}
        last_order = tracker.get_slot(LAST_ORDER_ID)
        if last_order and mentions_last_order(tracker.latest_message.get("text")):
            return {ORDER_ID: last_order}
        open_orders = tracker.get_slot(OPEN_ORDER_IDS) or []
        if (
            self.assume_single_open_order
            and tracker.get_slot(ORDER_ID) is None
            and tracker.get_slot(REQUESTED_SLOT) is None
            and len(open_orders) == 1
        ):
            return {ORDER_ID: open_orders[0]}
        return {}

    async def validate_order_id(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        """Accepts any way of writing an order number and stores the canonical form.

        The entity extractor sometimes tags only part of a spaced number ("482 913" -> "913"),
        so when the extracted value isn't an order number the whole message is tried too.
        """
        order_id = normalize_order_id(str(slot_value)) if slot_value else None
        if order_id is None:
            order_id = normalize_order_id(tracker.latest_message.get("text"))
        if order_id is None:
            dispatcher.utter_message(response=UTTER_INVALID_ORDER_ID)
            return {ORDER_ID: None}
        customer_id = current_customer_id(tracker)
        if customer_id is None:
            return {ORDER_ID: order_id}
        return await self.check_customer_order(customer_id, order_id, dispatcher)

    async def check_customer_order(
        self, customer_id: str, order_id: str, dispatcher: CollectingDispatcher
    ) -> Dict[str, Any]:
        """Slot values once a verified customer named `order_id` (default: accept it)."""
        return {ORDER_ID: order_id}


class AnonymousAsksOrderOnlyMixin:
    """An anonymous visitor is asked only the order number: the rest needs a verified customer."""

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        """All of the form's slots for a verified customer, else just `order_id`."""
        return domain_slots if current_customer_id(tracker) else [ORDER_ID]


class AddressValidationMixin:
    """Validates `shipping_address` as a plausible postal address."""

    def validate_shipping_address(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        """Keeps a tidied address, or asks again for a complete one."""
        address = normalize_address(str(slot_value)) if slot_value else None
        if address is None:
            dispatcher.utter_message(response=UTTER_INVALID_ADDRESS)
        return {SHIPPING_ADDRESS: address}


class ValidateTrackOrderForm(OrderFormValidationAction):
    """Validates the order-status form: the order must be the verified customer's."""

    assume_single_open_order = True

    def name(self) -> str:
        return "validate_track_order_form"

    async def check_customer_order(
        self, customer_id: str, order_id: str, dispatcher: CollectingDispatcher
    ) -> Dict[str, Any]:
        return await check_order_exists(customer_id, order_id, dispatcher)


class ValidateCancelOrderForm(AnonymousAsksOrderOnlyMixin, OrderFormValidationAction):
    """Validates the cancellation form: a verified customer's order must still be cancellable."""

    assume_single_open_order = True

    def name(self) -> str:
        return "validate_cancel_order_form"

    async def check_customer_order(
        self, customer_id: str, order_id: str, dispatcher: CollectingDispatcher
    ) -> Dict[str, Any]:
        return await check_cancellation(customer_id, order_id, dispatcher)


class ValidateChangeAddressForm(
    AnonymousAsksOrderOnlyMixin, AddressValidationMixin, OrderFormValidationAction
):
    """Validates the form that redirects an existing order: it must not have shipped."""

    assume_single_open_order = True

    def name(self) -> str:
        return "validate_change_address_form"

    async def check_customer_order(
        self, customer_id: str, order_id: str, dispatcher: CollectingDispatcher
    ) -> Dict[str, Any]:
        return await check_address_change(customer_id, order_id, dispatcher)


class ValidateNewAddressForm(AddressValidationMixin, FormValidationAction):
    """Validates the form that adds an address to the account."""

    def name(self) -> str:
        return "validate_new_address_form"


class ValidateRefundForm(OrderFormValidationAction):
    """Validates the refund-request form."""

    def name(self) -> str:
        return "validate_refund_form"


class ValidateRefundReasonForm(FormValidationAction):
    """Validates the refund reason: any short free text; long stories are trimmed to fit."""

    def name(self) -> str:
        return "validate_refund_reason_form"

    def validate_refund_reason(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        """Keeps the reason with tidied whitespace, at most `MAX_REASON_LENGTH` characters."""
        reason = " ".join(str(slot_value or "").split())[:MAX_REASON_LENGTH]
        return {REFUND_REASON: reason or None}


class ValidateTrackRefundForm(OrderFormValidationAction):
    """Validates the refund-status form."""

    def name(self) -> str:
        return "validate_track_refund_form"


class ValidateInvoiceForm(OrderFormValidationAction):
    """Validates the invoice form."""

    def name(self) -> str:
        return "validate_invoice_form"
