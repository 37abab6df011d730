"""Order flows on live data: where an order is, and cancelling it at the quoted fee.

A verified customer gets their order's real status and a real cancellation; an anonymous visitor
gets the general answer and the offer to verify (`actions.personal_data_action`).
"""

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import CustomerDataClient, NotFound, RuleViolation
from actions.customer_data_action import CustomerDataAction
from actions.order_answers import format_money, is_late, status_response, status_values
from actions.personal_data_action import PersonalDataAction
from actions.session import current_customer_id
from actions.slots import (
    CANCEL_CONFIRMED,
    CANCEL_ORDER_FORM,
    OPEN_ORDER_IDS,
    ORDER_ID,
    REQUESTED_SLOT,
    TRACK_ORDER_FORM,
    UTTER_CANNOT_CANCEL_ORDER,
    UTTER_DELAY_APOLOGY,
    UTTER_ORDER_NOT_FOUND,
)

UTTER_STATUS_GENERAL = "utter_order_status_general"
UTTER_CANCEL_GENERAL = "utter_cancel_order_instructions"
UTTER_CANCEL_KEPT = "utter_cancel_order_kept"
UTTER_CANCELLED = "utter_order_cancelled"
UTTER_CANCELLED_WITH_FEE = "utter_order_cancelled_with_fee"
UTTER_CONFIRM_FREE = "utter_confirm_cancellation_free"
UTTER_CONFIRM_WITH_FEE = "utter_confirm_cancellation_fee"
UTTER_CONFIRM_GENERAL = "utter_ask_cancel_order_form_cancel_confirmed"


class ActionCheckOrderStatus(PersonalDataAction):
    """Answers "where is my order" for the order number the form collected."""

    resume_form = TRACK_ORDER_FORM

    def name(self) -> str:
        return "action_check_order_status"

    anonymous_response = UTTER_STATUS_GENERAL

    async def answer_customer(
        self,
        client: CustomerDataClient,
        customer_id: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        """The order's status and dates; an apology when it is late."""
        order_id = tracker.get_slot(ORDER_ID)
        order = await self.call(client.get_order, customer_id, order_id)
        if order is None:
            dispatcher.utter_message(response=UTTER_ORDER_NOT_FOUND, order_id=order_id)
            return [SlotSet(ORDER_ID, None)]
        dispatcher.utter_message(response=status_response(order), **status_values(order))
        if is_late(order):
            dispatcher.utter_message(response=UTTER_DELAY_APOLOGY, order_id=order_id)
        return []


class ActionCancelOrder(PersonalDataAction):
    """Cancels a verified customer's order after an explicit yes; a no keeps it.

    Without a confirmation the form was ended by its validation, which already said why (the
    order can't be cancelled, or the records are unreachable), so there is nothing to add.
    """

    resume_form = CANCEL_ORDER_FORM

    def name(self) -> str:
        return "action_cancel_order"

    anonymous_response = UTTER_CANCEL_GENERAL
    anonymous_slot_resets = (CANCEL_CONFIRMED,)

    async def answer_customer(
        self,
        client: CustomerDataClient,
        customer_id: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        """Cancels at the service's fee, or explains why the shop's rules refuse."""
        order_id = tracker.get_slot(ORDER_ID)
        confirmed = tracker.get_slot(CANCEL_CONFIRMED)
        events = [SlotSet(CANCEL_CONFIRMED, None)]
        if confirmed is False:
            dispatcher.utter_message(response=UTTER_CANCEL_KEPT)
        if confirmed is not True:
            return events
        try:
            result = await self.call(client.cancel_order, customer_id, order_id)
        except RuleViolation as refusal:
            dispatcher.utter_message(
                response=UTTER_CANNOT_CANCEL_ORDER, order_id=order_id, reason=refusal.reason
            )
            return events
        except NotFound:
            dispatcher.utter_message(response=UTTER_ORDER_NOT_FOUND, order_id=order_id)
            return events
        if result.fee > 0:
            fee = format_money(result.fee, result.currency)
            dispatcher.utter_message(response=UTTER_CANCELLED_WITH_FEE, order_id=order_id, fee=fee)
        else:
            dispatcher.utter_message(response=UTTER_CANCELLED, order_id=order_id)
        still_open = [oid for oid in tracker.get_slot(OPEN_ORDER_IDS) or [] if oid != order_id]
        return events + [SlotSet(OPEN_ORDER_IDS, still_open)]

    def events_when_unavailable(self, tracker: Tracker) -> List[EventType]:
        return [SlotSet(CANCEL_CONFIRMED, None)]


class ActionAskCancelConfirmation(CustomerDataAction):
    """Asks a verified customer to confirm the cancellation, showing the fee it would cost."""

    def name(self) -> str:
        return "action_ask_cancel_order_form_cancel_confirmed"

    async def act(
        self,
        client: CustomerDataClient,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        """The confirmation question with the quoted fee (free, or the amount)."""
        order_id = tracker.get_slot(ORDER_ID)
        customer_id = current_customer_id(tracker)
        if customer_id is None:  # the form asks anonymous visitors only for the number
            dispatcher.utter_message(response=UTTER_CONFIRM_GENERAL)
            return []
        quote = await self.call(client.cancellation_quote, customer_id, order_id)
        if quote.fee > 0:
            fee = format_money(quote.fee, quote.currency)
            dispatcher.utter_message(response=UTTER_CONFIRM_WITH_FEE, order_id=order_id, fee=fee)
        else:
            dispatcher.utter_message(response=UTTER_CONFIRM_FREE, order_id=order_id)
        return []

    def events_when_unavailable(self, tracker: Tracker) -> List[EventType]:
        """Ends the form: a question without the fee could not be answered fairly."""
        return [SlotSet(REQUESTED_SLOT, None)]
