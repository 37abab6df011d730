"""Which order a verified customer means: "my last order", their only open order, or a button.

Anonymous visitors always type the order number; for a verified customer the identity slots
(`open_order_ids`, `last_order_id`, set from their profile) let the assistant guess or offer the
choice, so the customer rarely has to look the number up.
"""

import json
import re
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.session import current_customer_id
from actions.slots import LAST_ORDER_ID, OPEN_ORDER_IDS, ORDER_ID, UTTER_ASK_WHICH_ORDER

MAX_ORDER_BUTTONS = 5
INFORM_INTENT = "inform"

# "my last order", "the latest one", "most recent purchase": the words must be adjacent, so
# "I ordered it last week" doesn't count.
_LAST_ORDER = re.compile(
    r"\b(?:last|latest|most\s+recent|newest)\s+(?:order|one|purchase|parcel|package|delivery)\b",
    re.IGNORECASE,
)


def mentions_last_order(text: Optional[str]) -> bool:
    """Whether the customer refers to their most recent order instead of giving a number."""
    return bool(text and _LAST_ORDER.search(text))


def has_order_id_entity(tracker: Tracker) -> bool:
    """Whether the latest message named an order number itself."""
    return any(
        entity.get("entity") == ORDER_ID for entity in tracker.latest_message.get("entities", [])
    )


def order_choices(tracker: Tracker) -> List[str]:
    """The orders to offer as buttons: the open ones, then the last one, at most five."""
    choices = list(tracker.get_slot(OPEN_ORDER_IDS) or [])
    last_order = tracker.get_slot(LAST_ORDER_ID)
    if last_order and last_order not in choices:
        choices.append(last_order)
    return choices[:MAX_ORDER_BUTTONS]


def order_button(order_id: str) -> Dict[str, str]:
    """A button that answers the question with the order number as an `order_id` entity."""
    return {"title": order_id, "payload": f"/{INFORM_INTENT}{json.dumps({ORDER_ID: order_id})}"}


class AskOrderIdAction(Action, ABC):
    """Asks a form's order-number question; a verified customer gets their orders as buttons."""

    @abstractmethod
    def name(self) -> str:
        """`action_ask_<form>_order_id`, which Rasa prefers over the form's `utter_ask_...`."""

    @abstractmethod
    def general_question(self) -> str:
        """The form's own question (`utter_ask_<form>_order_id`) for anyone without choices."""

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        """Sends the question, with one button per recent order of a verified customer."""
        choices = order_choices(tracker) if current_customer_id(tracker) else []
        if choices:
            buttons = [order_button(order_id) for order_id in choices]
            dispatcher.utter_message(response=UTTER_ASK_WHICH_ORDER, buttons=buttons)
        else:
            dispatcher.utter_message(response=self.general_question())
        return []


class AskTrackOrderId(AskOrderIdAction):
    """Asks which order to look up."""

    def name(self) -> str:
        return "action_ask_track_order_form_order_id"

    def general_question(self) -> str:
        return "utter_ask_track_order_form_order_id"


class AskCancelOrderId(AskOrderIdAction):
    """Asks which order to cancel."""

    def name(self) -> str:
        return "action_ask_cancel_order_form_order_id"

    def general_question(self) -> str:
        return "utter_ask_cancel_order_form_order_id"


class AskChangeAddressOrderId(AskOrderIdAction):
    """Asks which order should go to another address."""

    def name(self) -> str:
        return "action_ask_change_address_form_order_id"

    def general_question(self) -> str:
        return "utter_ask_change_address_form_order_id"
