"""Base for flow actions that answer a verified customer from live data, anyone else generally.

The split is made once, here: a verified customer (see `actions.session`) gets `answer_customer`,
which may call the customer data service with the conversation's own `customer_id` (never an id
from the message); an anonymous visitor gets `answer_anonymous`, the general answer, and the
offer to verify in the chat, after which the flow's form runs again with the identity known.
"""

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import CustomerDataClient
from actions.customer_data_action import CustomerDataAction
from actions.session import ensure_customer
from actions.slots import PENDING_ACTION, VERIFICATION_ATTEMPTS, VERIFICATION_OFFERED

MAX_VERIFICATION_ATTEMPTS = 3


def verification_exhausted(tracker: Tracker) -> bool:
    """Whether this session already used up its attempts to verify in the chat."""
    return (tracker.get_slot(VERIFICATION_ATTEMPTS) or 0) >= MAX_VERIFICATION_ATTEMPTS


def offer_verification(tracker: Tracker, resume_with: Optional[str]) -> List[EventType]:
    """Slots that make the rules offer verification, then resume `resume_with` (a form).

    `verification_offered` is the one slot the dialogue rules look at: set, the rule after the
    flow action sends `utter_offer_verification`; a "yes" to that starts `verify_identity_form`.
    """
    if verification_exhausted(tracker):
        return withdraw_offer(tracker)
    return [SlotSet(VERIFICATION_OFFERED, True), SlotSet(PENDING_ACTION, resume_with)]


def withdraw_offer(tracker: Tracker) -> List[EventType]:
    """Clears a standing offer, so the rules don't offer verification after this answer."""
    return [SlotSet(VERIFICATION_OFFERED, None)] if tracker.get_slot(VERIFICATION_OFFERED) else []


class PersonalDataAction(CustomerDataAction, ABC):
    """A flow's final action: live data for a verified customer, a general answer otherwise."""

    # The form to run again after in-chat verification (None: don't offer verification).
    resume_form: Optional[str] = None

    @abstractmethod
    def name(self) -> str:
        """The action's name in `domain.yml`."""

    @abstractmethod
    async def answer_customer(
        self,
        client: CustomerDataClient,
        customer_id: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        """Answers the verified customer `customer_id`; may raise `CustomerDataError`."""

    # The general answer for anonymous visitors, when one response is all it takes, and the
    # flow's slots to reset with it (what an anonymous visitor typed is not kept).
    anonymous_response: Optional[str] = None
    anonymous_slot_resets: Tuple[str, ...] = ()

    def answer_anonymous(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        """Gives the general answer (no personal data) and resets the flow's slots."""
        if self.anonymous_response is None:
            raise NotImplementedError(f"{self.name()} needs anonymous_response or an override")
        dispatcher.utter_message(response=self.anonymous_response)
        return [SlotSet(slot, None) for slot in self.anonymous_slot_resets]

    async def act(
        self,
        client: CustomerDataClient,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        """Picks the answer by who is asking; see the module docstring."""
        customer_id, identity = await ensure_customer(client, tracker)
        if customer_id is None:
            events = self.answer_anonymous(dispatcher, tracker, domain)
            if self.resume_form is None:
                return identity + events + withdraw_offer(tracker)
            return identity + events + offer_verification(tracker, self.resume_form)
        answer = await self.answer_customer(client, customer_id, dispatcher, tracker, domain)
        return identity + answer + withdraw_offer(tracker)
