"""Delivery flows: redirect an order, save a new address."""

from rasa_sdk import Tracker

from actions.flow_action import FlowAction
from actions.slots import SHIPPING_ADDRESS


class ActionChangeShippingAddress(FlowAction):
    """Changes where an existing order is delivered."""

    slots_to_clear = [SHIPPING_ADDRESS]

    def name(self) -> str:
        return "action_change_shipping_address"

    def response_for(self, tracker: Tracker) -> str:
        return "utter_change_address_instructions"


class ActionSaveShippingAddress(FlowAction):
    """Adds an address to the customer's account."""

    slots_to_clear = [SHIPPING_ADDRESS]

    def name(self) -> str:
        return "action_save_shipping_address"

    def response_for(self, tracker: Tracker) -> str:
        return "utter_save_address_instructions"
