"""Complaints and reviews: stored as support tickets for a verified customer.

The customer's own words become the ticket's subject. A complaint goes to the team whose topic
it is about when that is obvious (named in the message, or the topic the conversation was on),
otherwise to "feedback". Anonymous visitors get the general answer and nothing is stored.
"""

import re
from typing import Any, Dict, List, Optional, Pattern, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import CustomerDataClient
from actions.personal_data_action import PersonalDataAction
from actions.slots import HANDOFF_OFFER, OFFER_COMPLAINT, SEGMENT

MAX_SUBJECT_LENGTH = 300  # tickets.subject
FEEDBACK = "feedback"
# Whose complaints go to a person straight away, not only into a ticket.
SEGMENTS_HANDED_TO_A_PERSON = frozenset({"high_value", "at_risk"})
UTTER_COMPLAINT = "utter_complaint"
UTTER_COMPLAINT_RECORDED = "utter_complaint_recorded"
UTTER_REVIEW = "utter_review"
UTTER_REVIEW_RECORDED = "utter_review_recorded"
DEFAULT_COMPLAINT_SUBJECT = "Complaint via chat"
DEFAULT_REVIEW_SUBJECT = "Review via chat"

# Ticket categories (`customer_data.models.TICKET_CATEGORIES`) by what the message names, most
# specific first: "the refund for my order" is about the refund.
CATEGORY_KEYWORDS: Tuple[Tuple[str, Pattern[str]], ...] = tuple(
    (category, re.compile(pattern, re.IGNORECASE))
    for category, pattern in (
        ("refunds", r"\b(refund\w*|money back|reimburs\w*)\b"),
        ("invoices", r"\b(invoice\w*|receipt\w*|vat)\b"),
        ("payments", r"\b(payment\w*|charged?|card|paypal|klarna)\b"),
        ("delivery", r"\b(deliver\w*|courier|driver|parcel|package|shipping|shipped|arriv\w*)\b"),
        ("account", r"\b(account|password|log ?in|sign ?up|newsletter)\b"),
        ("orders", r"\b(orders?|ordered)\b"),
    )
)
# ... or by the topic the customer asked about before complaining.
CATEGORY_BY_INTENT = {
    **dict.fromkeys(
        ("place_order", "track_order", "change_order", "cancel_order", "check_cancellation_fee"),
        "orders",
    ),
    **dict.fromkeys(
        (
            "delivery_options",
            "delivery_period",
            "change_shipping_address",
            "set_up_shipping_address",
        ),
        "delivery",
    ),
    **dict.fromkeys(("get_refund", "track_refund", "check_refund_policy"), "refunds"),
    **dict.fromkeys(("check_payment_methods", "payment_issue"), "payments"),
    **dict.fromkeys(("check_invoice", "get_invoice"), "invoices"),
    **dict.fromkeys(
        (
            "create_account",
            "edit_account",
            "delete_account",
            "switch_account",
            "recover_password",
            "registration_problems",
            "newsletter_subscription",
        ),
        "account",
    ),
}


def ticket_subject(tracker: Tracker, default: str) -> str:
    """The customer's latest message with tidied whitespace, cut to fit a ticket's subject."""
    text = " ".join(str(tracker.latest_message.get("text") or "").split())
    return text[:MAX_SUBJECT_LENGTH].rstrip() or default


def _earlier_intents(tracker: Tracker) -> List[str]:
    """The intents of this session's user messages before the latest one, newest first."""
    intents: List[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            break
        if event.get("event") == "user":
            intents.append((event.get("parse_data") or {}).get("intent", {}).get("name"))
    return [intent for intent in intents[1:] if intent]


def complaint_category(tracker: Tracker) -> str:
    """The team a complaint is about, if obvious; else "feedback"."""
    text = str(tracker.latest_message.get("text") or "")
    named: Optional[str] = next(
        (category for category, pattern in CATEGORY_KEYWORDS if pattern.search(text)), None
    )
    if named is not None:
        return named
    for intent in _earlier_intents(tracker):
        if intent in CATEGORY_BY_INTENT:
            return CATEGORY_BY_INTENT[intent]
    return FEEDBACK


class ActionRecordComplaint(PersonalDataAction):
    """Registers a complaint as a ticket for the right team and gives its number."""

    def name(self) -> str:
        return "action_record_complaint"

    # Anonymous visitors: an apology and how to reach customer care.
    anonymous_response = UTTER_COMPLAINT

    async def answer_customer(
        self,
        client: CustomerDataClient,
        customer_id: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        ticket = await self.call(
            client.create_ticket,
            customer_id,
            complaint_category(tracker),
            ticket_subject(tracker, DEFAULT_COMPLAINT_SUBJECT),
        )
        dispatcher.utter_message(response=UTTER_COMPLAINT_RECORDED, ticket_id=ticket.id)
        if tracker.get_slot(SEGMENT) in SEGMENTS_HANDED_TO_A_PERSON:
            return [SlotSet(HANDOFF_OFFER, OFFER_COMPLAINT)]  # the rules hand over at once
        return []


class ActionRecordReview(PersonalDataAction):
    """Keeps a review as a feedback ticket and gives its number."""

    def name(self) -> str:
        return "action_record_review"

    # Anonymous visitors: where reviews are written.
    anonymous_response = UTTER_REVIEW

    async def answer_customer(
        self,
        client: CustomerDataClient,
        customer_id: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        ticket = await self.call(
            client.create_ticket,
            customer_id,
            FEEDBACK,
            ticket_subject(tracker, DEFAULT_REVIEW_SUBJECT),
        )
        dispatcher.utter_message(response=UTTER_REVIEW_RECORDED, ticket_id=ticket.id)
        return []
