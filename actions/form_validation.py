"""Form validation shared by every flow that asks for an order number or an address.

Each form in `domain.yml` has its own `validate_<form>` action (Rasa looks them up by name); the
slot rules live once, in the mixins below, so every flow accepts the same order-number formats.
"""

from abc import ABC, abstractmethod
from typing import Any, Dict

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.addresses import normalize_address
from actions.order_numbers import normalize_order_id
from actions.slots import (
    ORDER_ID,
    REFUND_REASON,
    SHIPPING_ADDRESS,
    UTTER_INVALID_ADDRESS,
    UTTER_INVALID_ORDER_ID,
)

# The customer data service stores refund reasons of up to 300 characters.
MAX_REASON_LENGTH = 300


class OrderFormValidationAction(FormValidationAction, ABC):
    """Validates `order_id` for any form that asks for one."""

    @abstractmethod
    def name(self) -> str:
        """The `validate_<form>` name; abstract so the SDK doesn't register this base class."""

    def validate_order_id(
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
        return {ORDER_ID: order_id}


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
    """Validates the order-status form."""

    def name(self) -> str:
        return "validate_track_order_form"


class ValidateCancelOrderForm(OrderFormValidationAction):
    """Validates the cancellation form."""

    def name(self) -> str:
        return "validate_cancel_order_form"


class ValidateChangeAddressForm(AddressValidationMixin, OrderFormValidationAction):
    """Validates the form that redirects an existing order."""

    def name(self) -> str:
        return "validate_change_address_form"


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
