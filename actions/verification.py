"""In-chat verification: an e-mail address plus the number of an order placed with it.

An anonymous visitor who accepts the offer (see `actions.personal_data_action`) fills
`verify_identity_form`. When both answers are in, the validation looks the e-mail up and checks
the order is that customer's; a mismatch never says which part was wrong. After three mismatches
in a session the form stops and a person is offered. On success the identity slots are set (the
e-mail is cleared right after) and the flow that offered verification runs again with live data.
Nothing is linked permanently: the next session starts anonymous again.
"""

import logging
import re
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clients import CustomerDataError
from actions.customer_data_action import (
    UTTER_SERVICE_UNAVAILABLE,
    CustomerDataAction,
    customer_data_client,
)
from actions.order_numbers import normalize_order_id
from actions.personal_data_action import MAX_VERIFICATION_ATTEMPTS, verification_exhausted
from actions.session import SOURCE_VERIFICATION, current_customer_id, identity_events
from actions.slots import (
    EMAIL,
    ORDER_ID,
    PENDING_ACTION,
    REQUESTED_SLOT,
    UTTER_INVALID_EMAIL,
    UTTER_INVALID_ORDER_ID,
    UTTER_OFFER_HUMAN_HANDOFF,
    UTTER_VERIFICATION_FAILED,
    UTTER_VERIFICATION_FAILED_FINAL,
    UTTER_VERIFIED,
    VERIFICATION_ATTEMPTS,
    VERIFICATION_OFFERED,
)
from customer_data.schemas import Profile

logger = logging.getLogger(__name__)

EMAIL_CHANNEL = "email"  # the identities table links every customer's e-mail address
MAX_EMAIL_LENGTH = 254
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)


def find_email(text: Optional[str]) -> Optional[str]:
    """The first e-mail address in `text` ("it's jane@example.com."), lower-cased, or None."""
    match = _EMAIL.search(text or "")
    if match is None or len(match.group(0)) > MAX_EMAIL_LENGTH:
        return None
    return match.group(0).lower()


class ValidateVerifyIdentityForm(FormValidationAction):
    """Validates the e-mail and order number, then checks that they belong together."""

    def name(self) -> str:
        return "validate_verify_identity_form"

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        """Nothing to ask once verified, or once the session's attempts are used up."""
        if current_customer_id(tracker) or verification_exhausted(tracker):
            return []
        return domain_slots

    def validate_email(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        """Keeps a well-formed e-mail address, or asks again."""
        email = find_email(str(slot_value)) if slot_value else None
        if email is None:
            dispatcher.utter_message(response=UTTER_INVALID_EMAIL)
        return {EMAIL: email}

    def validate_order_id(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        """Accepts any way of writing an order number, as the order forms do."""
        order_id = normalize_order_id(str(slot_value)) if slot_value else None
        if order_id is None:
            order_id = normalize_order_id(tracker.latest_message.get("text"))
        if order_id is None:
            dispatcher.utter_message(response=UTTER_INVALID_ORDER_ID)
        return {ORDER_ID: order_id}

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Validates the answers; once both are in, checks them against the records."""
        events = await super().run(dispatcher, tracker, domain)
        email, order_id = tracker.get_slot(EMAIL), tracker.get_slot(ORDER_ID)
        if not email or not order_id or current_customer_id(tracker):
            return events
        if verification_exhausted(tracker):
            return events + [SlotSet(REQUESTED_SLOT, None)]
        try:
            profile = await self._owner(email, order_id)
        except CustomerDataError as error:
            logger.warning("verification could not reach the customer data service: %r", error)
            dispatcher.utter_message(response=UTTER_SERVICE_UNAVAILABLE)
            return events + [SlotSet(REQUESTED_SLOT, None)]
        if profile is not None:
            return events + identity_events(profile, SOURCE_VERIFICATION)
        return events + self._mismatch(dispatcher, tracker)

    @staticmethod
    async def _owner(email: str, order_id: str) -> Optional[Profile]:
        """The customer with this e-mail address, if `order_id` is one of their orders."""
        client = customer_data_client()
        profile = await CustomerDataAction.call(client.find_profile, EMAIL_CHANNEL, email)
        if profile is None:
            return None
        order = await CustomerDataAction.call(client.get_order, profile.customer_id, order_id)
        return profile if order is not None else None

    @staticmethod
    def _mismatch(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        """Counts the failed attempt; asks both again, or stops after the last attempt."""
        attempts = int(tracker.get_slot(VERIFICATION_ATTEMPTS) or 0) + 1
        events = [
            SlotSet(VERIFICATION_ATTEMPTS, attempts),
            SlotSet(EMAIL, None),
            SlotSet(ORDER_ID, None),
        ]
        if attempts >= MAX_VERIFICATION_ATTEMPTS:
            return events + [SlotSet(REQUESTED_SLOT, None)]
        dispatcher.utter_message(response=UTTER_VERIFICATION_FAILED)
        return events


class ActionCompleteVerification(Action):
    """Runs when `verify_identity_form` ends: confirms and resumes, or offers a person."""

    def name(self) -> str:
        return "action_complete_verification"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        """Resumes the flow that offered verification (its form runs again, now verified)."""
        pending = tracker.get_slot(PENDING_ACTION)
        events = [SlotSet(EMAIL, None), SlotSet(PENDING_ACTION, None)]
        if tracker.get_slot(VERIFICATION_OFFERED):
            events.append(SlotSet(VERIFICATION_OFFERED, None))
        if current_customer_id(tracker):
            dispatcher.utter_message(response=UTTER_VERIFIED)
            return events + ([FollowupAction(pending)] if pending else [])
        if verification_exhausted(tracker):
            dispatcher.utter_message(response=UTTER_VERIFICATION_FAILED_FINAL)
            dispatcher.utter_message(response=UTTER_OFFER_HUMAN_HANDOFF)
        # Otherwise the form ended because the records were unreachable, as it already said.
        return events
