"""Refund flows: request a refund, check a refund's status."""

from rasa_sdk import Tracker

from actions.flow_action import FlowAction
from actions.slots import REFUND_REASON


class ActionRequestRefund(FlowAction):
    """Starts a refund for an order, with the customer's reason."""

    slots_to_clear = [REFUND_REASON]

    def name(self) -> str:
        return "action_request_refund"

    def response_for(self, tracker: Tracker) -> str:
        return "utter_refund_request_instructions"


class ActionCheckRefundStatus(FlowAction):
    """Tells where the refund for an order is."""

    def name(self) -> str:
        return "action_check_refund_status"

    def response_for(self, tracker: Tracker) -> str:
        return "utter_refund_status_general"
