"""Payment trouble on live data: explain the customer's latest failed payment."""

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import CustomerDataClient
from actions.formatting import amount, day
from actions.personal_data_action import PersonalDataAction

UTTER_PAYMENT_ISSUE = "utter_payment_issue"
UTTER_PAYMENT_FAILED = "utter_payment_failed"

# How customers know the methods in `customer_data.models.PAYMENT_METHODS`.
METHOD_NAMES = {
    "card": "card",
    "paypal": "PayPal",
    "apple_pay": "Apple Pay",
    "google_pay": "Google Pay",
    "klarna": "Klarna",
    "gift_card": "gift card",
    "bank_transfer": "bank transfer",
}
NO_FAILURE_REASON = "the payment provider gave no reason"


class ActionExplainPaymentIssue(PersonalDataAction):
    """Explains the latest failed payment (last 30 days) and what to do about it."""

    resume_form = "action_explain_payment_issue"  # no form to run again: the action itself

    def name(self) -> str:
        return "action_explain_payment_issue"

    # Anonymous visitors: troubleshooting for declined cards and double charges.
    anonymous_response = UTTER_PAYMENT_ISSUE

    async def answer_customer(
        self,
        client: CustomerDataClient,
        customer_id: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        profile = await self.call(client.get_profile, customer_id)
        if not profile.recent_failed_payments:
            dispatcher.utter_message(response=UTTER_PAYMENT_ISSUE)
            return []
        latest = max(profile.recent_failed_payments, key=lambda payment: payment.at)
        dispatcher.utter_message(
            response=UTTER_PAYMENT_FAILED,
            payment_method=METHOD_NAMES.get(latest.method, latest.method.replace("_", " ")),
            amount=amount(latest.amount),
            currency=latest.currency,
            order_id=latest.order_id,
            failure_reason=latest.failure_reason or NO_FAILURE_REASON,
            failed_on=day(latest.at),
        )
        return []
