"""Order flows: status and cancellation."""

from rasa_sdk import Tracker

from actions.flow_action import FlowAction
from actions.slots import CANCEL_CONFIRMED


class ActionCheckOrderStatus(FlowAction):
    """Answers "where is my order" for the order number the form collected."""

    def name(self) -> str:
        return "action_check_order_status"

    def response_for(self, tracker: Tracker) -> str:
        return "utter_order_status_general"


class ActionCancelOrder(FlowAction):
    """Cancels after an explicit yes; a no keeps the order."""

    slots_to_clear = [CANCEL_CONFIRMED]

    def name(self) -> str:
        return "action_cancel_order"

    def response_for(self, tracker: Tracker) -> str:
        if tracker.get_slot(CANCEL_CONFIRMED) is True:
            return "utter_cancel_order_instructions"
        return "utter_cancel_order_kept"
