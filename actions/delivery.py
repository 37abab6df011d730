"""Delivery flows: redirect an order (live for a verified customer), save a new address.

There is no API to save an address to the account, so that flow stays an explanation, addressed
to the customer by name when they are verified.
"""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import CustomerDataClient, InvalidRequest, NotFound, RuleViolation
from actions.personal_data_action import PersonalDataAction
from actions.session import current_customer_id
from actions.slots import (
    CHANGE_ADDRESS_FORM,
    CUSTOMER_FIRST_NAME,
    ORDER_ID,
    SHIPPING_ADDRESS,
    UTTER_CANNOT_CHANGE_ADDRESS,
    UTTER_INVALID_ADDRESS,
    UTTER_ORDER_NOT_FOUND,
)

UTTER_CHANGE_GENERAL = "utter_change_address_instructions"
UTTER_ADDRESS_CHANGED = "utter_shipping_address_changed"
UTTER_SAVE_GENERAL = "utter_save_address_instructions"
UTTER_SAVE_PERSONAL = "utter_save_address_instructions_personal"


class ActionChangeShippingAddress(PersonalDataAction):
    """Sends a verified customer's order to the new address; explains how to anyone else.

    The address is cleared in every case: it is only kept for the turn that uses it.
    """

    resume_form = CHANGE_ADDRESS_FORM

    def name(self) -> str:
        return "action_change_shipping_address"

    anonymous_response = UTTER_CHANGE_GENERAL
    anonymous_slot_resets = (SHIPPING_ADDRESS,)

    async def answer_customer(
        self,
        client: CustomerDataClient,
        customer_id: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        """Changes the address, or explains why the shop's rules refuse (the order shipped)."""
        order_id = tracker.get_slot(ORDER_ID)
        address = tracker.get_slot(SHIPPING_ADDRESS)
        events = [SlotSet(SHIPPING_ADDRESS, None)]
        if not address:  # the form's validation ended it and already said why
            return events
        try:
            order = await self.call(client.change_shipping_address, customer_id, order_id, address)
        except RuleViolation as refusal:
            dispatcher.utter_message(
                response=UTTER_CANNOT_CHANGE_ADDRESS, order_id=order_id, reason=refusal.reason
            )
            return events
        except NotFound:
            dispatcher.utter_message(response=UTTER_ORDER_NOT_FOUND, order_id=order_id)
            return events
        except InvalidRequest:
            dispatcher.utter_message(response=UTTER_INVALID_ADDRESS)
            return events
        dispatcher.utter_message(
            response=UTTER_ADDRESS_CHANGED,
            order_id=order.id,
            shipping_address=order.shipping_address,
        )
        return events

    def events_when_unavailable(self, tracker: Tracker) -> List[EventType]:
        return [SlotSet(SHIPPING_ADDRESS, None)]


class ActionSaveShippingAddress(Action):
    """Explains how to add the address to the account (there is no API for it yet)."""

    def name(self) -> str:
        return "action_save_shipping_address"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        """The steps in the account settings (by name when verified); clears the address."""
        if current_customer_id(tracker) and tracker.get_slot(CUSTOMER_FIRST_NAME):
            dispatcher.utter_message(response=UTTER_SAVE_PERSONAL)
        else:
            dispatcher.utter_message(response=UTTER_SAVE_GENERAL)
        return [SlotSet(SHIPPING_ADDRESS, None)]
