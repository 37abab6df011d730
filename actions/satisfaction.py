"""Customer satisfaction (CSAT): a 1-5 rating and an optional comment after help was given.

A rating is asked when the customer thanks or says goodbye after a flow resolved something in
this session (and not already rated since), or when an agent closes a handoff. It is stored with
the conversation id, segment, flow and whether a human was involved; the comment is redacted.
"""

import re
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.clients import SupportDeskClient
from actions.conversation_summary import session_events
from actions.slots import (
    CSAT_COMMENT,
    CSAT_DUE,
    CSAT_FORM,
    CSAT_RATING,
    CUSTOMER_ID,
    SEGMENT,
    VERIFIED,
)
from actions.support_desk_action import SupportDeskAction
from conversation_store.redaction import redact_text
from customer_data.handoffs.schemas import MAX_TEXT, RatingCreate

UTTER_CSAT_THANKS = "utter_csat_thanks"
UTTER_CSAT_SKIPPED = "utter_csat_skipped"
SKIPPED = "skipped"  # slot value: the customer answered something that is not a rating
NO_COMMENT_INTENTS = frozenset({"deny"})
HANDOFF_FLOW = "handoff"
# The actions that resolve something for the customer, and the flow each one ends.
FLOW_BY_ACTION = {
    "action_check_order_status": "track_order",
    "action_cancel_order": "cancel_order",
    "action_change_shipping_address": "change_shipping_address",
    "action_save_shipping_address": "set_up_shipping_address",
    "action_request_refund": "get_refund",
    "action_check_refund_status": "track_refund",
    "action_send_invoice": "get_invoice",
    "action_list_invoices": "check_invoice",
    "action_explain_payment_issue": "payment_issue",
    "action_update_contact_details": "edit_account",
    "action_update_newsletter": "newsletter_subscription",
    "action_record_complaint": "complaint",
}
RATING_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_DIGIT = re.compile(r"(?<![\d.])([1-5])(?![\d.])")
_WORD = re.compile(r"\b(" + "|".join(RATING_WORDS) + r")\b", re.IGNORECASE)
STAR = "\u2b50"


def parse_rating(text: Optional[str]) -> Optional[int]:
    """A 1-5 rating from "4", "4/5", "four", "5 stars" or star emoji; None if there is none."""
    text = text or ""
    if _DIGIT.search(text):
        return int(_DIGIT.search(text).group(1))
    if _WORD.search(text):
        return RATING_WORDS[_WORD.search(text).group(1).lower()]
    stars = text.count(STAR)
    return stars if 1 <= stars <= 5 else None


def _resolved_since_last_rating(tracker: Tracker) -> Optional[str]:
    """The flow most recently resolved in this session after the last rating question."""
    flow = None
    for event in session_events(tracker):
        if event.get("event") == "active_loop" and event.get("name") == CSAT_FORM:
            flow = None
        elif event.get("event") == "action" and event.get("name") in FLOW_BY_ACTION:
            flow = FLOW_BY_ACTION[event["name"]]
    return flow


def _human_involved(tracker: Tracker) -> bool:
    return any(event.get("event") == "pause" for event in session_events(tracker))


def rated_flow(tracker: Tracker) -> str:
    """The flow a rating is about: the last one resolved, else the handoff."""
    flow = None
    for event in session_events(tracker):
        if event.get("event") == "action" and event.get("name") in FLOW_BY_ACTION:
            flow = FLOW_BY_ACTION[event["name"]]
    return flow or HANDOFF_FLOW


class ActionOfferCsat(Action):
    """Sets `csat_due` when a rating should be asked now; the rules then start `csat_form`."""

    def name(self) -> str:
        return "action_offer_csat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        """No service call: the decision is made from the conversation alone."""
        return [SlotSet(CSAT_DUE, _resolved_since_last_rating(tracker) is not None)]


class ValidateCsatForm(FormValidationAction):
    """Reads the rating from buttons or typed text; "No comment" skips the comment."""

    def name(self) -> str:
        return "validate_csat_form"

    def validate_csat_rating(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        """A number 1-5; anything else ends the form without a rating (nothing is stored)."""
        rating = parse_rating(str(slot_value))
        if rating is None:
            dispatcher.utter_message(response=UTTER_CSAT_SKIPPED)
            return {CSAT_RATING: SKIPPED, CSAT_COMMENT: SKIPPED}
        return {CSAT_RATING: str(rating)}

    def validate_csat_comment(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        """The comment, redacted; a "no" or the "No comment" button means none."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = str(slot_value or "").strip()
        if intent in NO_COMMENT_INTENTS or not text or text.startswith("/"):
            return {CSAT_COMMENT: SKIPPED}
        return {CSAT_COMMENT: redact_text(text)[:MAX_TEXT]}


class ActionSubmitCsat(SupportDeskAction):
    """Stores the rating and thanks the customer; a desk outage only loses the rating."""

    def name(self) -> str:
        return "action_submit_csat"

    async def act(
        self,
        desk: SupportDeskClient,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        rating = tracker.get_slot(CSAT_RATING)
        if rating and rating != SKIPPED:
            comment = tracker.get_slot(CSAT_COMMENT)
            verified = bool(tracker.get_slot(VERIFIED))
            await self.call(
                desk.record_rating,
                RatingCreate(
                    conversation_id=tracker.sender_id,
                    customer_id=tracker.get_slot(CUSTOMER_ID) if verified else None,
                    segment=tracker.get_slot(SEGMENT) if verified else None,
                    flow=rated_flow(tracker),
                    human_involved=_human_involved(tracker),
                    rating=int(rating),
                    comment=None if comment in (None, SKIPPED) else comment,
                ),
            )
            dispatcher.utter_message(response=UTTER_CSAT_THANKS)
        return self._reset()

    def answer_when_unavailable(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        dispatcher.utter_message(response=UTTER_CSAT_THANKS)
        return self._reset()

    @staticmethod
    def _reset() -> List[EventType]:
        return [SlotSet(CSAT_DUE, False), SlotSet(CSAT_RATING, None), SlotSet(CSAT_COMMENT, None)]
