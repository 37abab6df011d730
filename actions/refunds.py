"""Refund flows on live data: request a refund for an order, tell where refunds stand.

The forms collect `order_id` (and `refund_reason`); these actions then ask the customer data
service, which applies the shop's refund rules. A refusal is explained with its reason and an
alternative; an order that isn't the customer's is never described.
"""

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import CustomerDataClient, NotFound, RuleViolation
from actions.formatting import amount, day
from actions.personal_data_action import PersonalDataAction
from actions.slots import ORDER_ID, REFUND_REASON, UTTER_ORDER_NOT_FOUND
from customer_data.schemas import RefundOut

UTTER_REFUND_REQUEST_INSTRUCTIONS = "utter_refund_request_instructions"
UTTER_REFUND_REQUESTED = "utter_refund_requested"
UTTER_REFUND_WINDOW_PASSED = "utter_refund_window_passed"
UTTER_REFUND_NOT_DELIVERED = "utter_refund_not_delivered"
UTTER_REFUND_ALREADY_REFUNDED = "utter_refund_already_refunded"
UTTER_REFUND_REFUSED = "utter_refund_refused"
UTTER_REFUND_STATUS_GENERAL = "utter_refund_status_general"
UTTER_NO_REFUND_FOR_ORDER = "utter_no_refund_for_order"
UTTER_NO_REFUNDS = "utter_no_refunds"
UTTER_REFUND_STATUS_OTHER = "utter_refund_status_other"
UTTER_REFUND_STATUS = {
    "requested": "utter_refund_status_requested",
    "approved": "utter_refund_status_approved",
    "paid": "utter_refund_status_paid",
    "rejected": "utter_refund_status_rejected",
}

# The refund rules (`customer_data.rules.refund_decision`) word each refusal; these phrases tell
# them apart so the answer can suggest what to do instead. Anything else is quoted as it is.
REFUSALS = (
    ("refund window", UTTER_REFUND_WINDOW_PASSED),
    ("refunds are for delivered orders", UTTER_REFUND_NOT_DELIVERED),
    ("already been refunded", UTTER_REFUND_ALREADY_REFUNDED),
)
REFUND_LIST_LIMIT = 20  # the newest refunds searched for the order asked about
MAX_REFUNDS_SHOWN = 3


def refusal_response(reason: str) -> str:
    """The response that explains a refusal with this reason."""
    lowered = reason.lower()
    return next((name for phrase, name in REFUSALS if phrase in lowered), UTTER_REFUND_REFUSED)


def utter_refund_status(dispatcher: CollectingDispatcher, refund: RefundOut) -> None:
    """Tells where one refund stands."""
    resolved: Optional[str] = day(refund.resolved_at) if refund.resolved_at else None
    dispatcher.utter_message(
        response=UTTER_REFUND_STATUS.get(refund.status, UTTER_REFUND_STATUS_OTHER),
        refund_id=refund.id,
        order_id=refund.order_id,
        amount=amount(refund.amount),
        currency=refund.currency,
        status=refund.status,
        requested_on=day(refund.requested_at),
        # only paid and rejected refunds are resolved, and only their responses say when
        resolved_on=resolved or day(refund.requested_at),
    )


class ActionRequestRefund(PersonalDataAction):
    """Requests a refund of what is left of the order, with the customer's reason."""

    resume_form = "refund_form"

    def name(self) -> str:
        return "action_request_refund"

    # Anonymous visitors: how to return items; order and reason are kept for after verification.
    anonymous_response = UTTER_REFUND_REQUEST_INSTRUCTIONS

    async def answer_customer(
        self,
        client: CustomerDataClient,
        customer_id: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        order_id = tracker.get_slot(ORDER_ID)
        reason = tracker.get_slot(REFUND_REASON)
        events: List[EventType] = [SlotSet(REFUND_REASON, None)]
        try:
            refund = await self.call(client.request_refund, customer_id, order_id, reason)
        except NotFound:
            dispatcher.utter_message(response=UTTER_ORDER_NOT_FOUND, order_id=order_id)
            return events + [SlotSet(ORDER_ID, None)]
        except RuleViolation as refused:
            dispatcher.utter_message(
                response=refusal_response(refused.reason), order_id=order_id, reason=refused.reason
            )
            return events
        dispatcher.utter_message(
            response=UTTER_REFUND_REQUESTED,
            refund_id=refund.id,
            order_id=refund.order_id,
            amount=amount(refund.amount),
            currency=refund.currency,
        )
        return events

    def events_when_unavailable(self, tracker: Tracker) -> List[EventType]:
        """The reason belongs to this request; a new request asks again."""
        return [SlotSet(REFUND_REASON, None)]


class ActionCheckRefundStatus(PersonalDataAction):
    """Tells where the refunds for an order stand, or the customer's most recent ones."""

    resume_form = "track_refund_form"

    def name(self) -> str:
        return "action_check_refund_status"

    # Anonymous visitors: how long refunds take and where to see them.
    anonymous_response = UTTER_REFUND_STATUS_GENERAL

    async def answer_customer(
        self,
        client: CustomerDataClient,
        customer_id: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        order_id = tracker.get_slot(ORDER_ID)
        refunds = await self.call(client.list_refunds, customer_id, REFUND_LIST_LIMIT)
        for_order = [refund for refund in refunds if refund.order_id == order_id]
        if not refunds:
            dispatcher.utter_message(response=UTTER_NO_REFUNDS, order_id=order_id)
        elif not for_order:
            dispatcher.utter_message(response=UTTER_NO_REFUND_FOR_ORDER, order_id=order_id)
        for refund in (for_order or refunds)[:MAX_REFUNDS_SHOWN]:
            utter_refund_status(dispatcher, refund)
        return []
