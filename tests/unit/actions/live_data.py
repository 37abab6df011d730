"""Helpers for tests of actions that answer from live customer data (with the fake client)."""

from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import FakeCustomerDataClient
from actions.customer_data_action import use_client
from tests.unit.actions.clients.samples import CUSTOMER_ID, NOW

# What a customer identified by the web page's token has (see actions.session).
VERIFIED = {"customer_id": CUSTOMER_ID, "verified": True, "identity_source": "web_token"}
ANONYMOUS: Dict[str, Any] = {"verified": False}
# Keys every collected message has; whatever else is there was passed to the response.
MESSAGE_KEYS = {"text", "buttons", "elements", "custom", "template", "response", "image"}
MESSAGE_KEYS |= {"attachment"}


def installed_fake() -> FakeCustomerDataClient:
    """A fake client with the clock at `NOW`, used by every customer data action until reset."""
    fake = FakeCustomerDataClient(now=lambda: NOW)
    use_client(fake)
    return fake


def make_tracker(
    slots: Optional[Dict[str, Any]] = None,
    text: str = "",
    intent: str = "inform",
    entities: Optional[Dict[str, str]] = None,
    active_loop: Optional[str] = None,
    earlier_intents: Tuple[str, ...] = (),
) -> Tracker:
    """A tracker as the action server receives it: earlier user turns, then the latest one."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": [{"entity": name, "value": value} for name, value in (entities or {}).items()],
    }
    events: List[Dict[str, Any]] = [{"event": "session_started"}]
    for earlier in earlier_intents:
        parse = {"text": earlier, "intent": {"name": earlier, "confidence": 0.9}, "entities": []}
        events.append({"event": "user", "text": earlier, "parse_data": parse})
    events.append({"event": "user", "text": text, "parse_data": latest})
    return Tracker(
        sender_id="test-conversation",
        slots=dict(slots or {}),
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def sent(dispatcher: CollectingDispatcher) -> List[Tuple[str, Dict[str, Any]]]:
    """Each message as (response name, the variables passed to it)."""
    return [
        (message["response"], {k: v for k, v in message.items() if k not in MESSAGE_KEYS})
        for message in dispatcher.messages
    ]


def offer_events(resume: str) -> List[SlotSet]:
    """What an action returns to make the rules offer verification, then resume `resume`."""
    return [SlotSet("verification_offered", True), SlotSet("pending_action", resume)]
