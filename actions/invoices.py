"""Invoice flow: send or download the invoice for an order."""

from rasa_sdk import Tracker

from actions.flow_action import FlowAction


class ActionSendInvoice(FlowAction):
    """Gets the customer the invoice document for an order."""

    def name(self) -> str:
        return "action_send_invoice"

    def response_for(self, tracker: Tracker) -> str:
        return "utter_invoice_instructions"
