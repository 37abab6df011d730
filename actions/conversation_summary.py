"""What an agent needs to take over a conversation: a short summary and the transcript.

Built from the tracker the action server receives. Earlier turns arrive as the tracker store
keeps them (personal data already redacted); the newest turn is redacted here with the same
rules, so a handoff never carries card numbers, e-mails or phone numbers the agent doesn't need.
"""

from typing import Dict, List

from rasa_sdk import Tracker

from actions.customer_data_action import UTTER_SERVICE_UNAVAILABLE
from conversation_store.redaction import redact_text
from customer_data.handoffs.schemas import MAX_TEXT, HandoffSummary, TranscriptLine

MAX_TRANSCRIPT_LINES = 50
FALLBACK_INTENT = "nlu_fallback"
# What each flow's action tried, in words an agent reads at a glance.
TRIED_BY_ACTION = {
    "action_check_order_status": "order status",
    "action_cancel_order": "cancel order",
    "action_change_shipping_address": "change shipping address",
    "action_save_shipping_address": "save shipping address",
    "action_request_refund": "refund request",
    "action_check_refund_status": "refund status",
    "action_send_invoice": "send invoice",
    "action_list_invoices": "list invoices",
    "action_explain_payment_issue": "payment issue",
    "action_update_contact_details": "contact details change",
    "action_update_newsletter": "newsletter consent",
    "action_record_complaint": "complaint recorded as a ticket",
    "action_record_review": "review recorded",
    "verify_identity_form": "in-chat verification",
    "action_clarify": "clarifying question",
    "action_answer_how_to": "how-to answer with help articles",
}


def session_events(tracker: Tracker) -> List[dict]:
    """The events of the current session (after the last `session_started`)."""
    events = list(tracker.events)
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "session_started":
            return events[index + 1 :]
    return events


def user_intent(event: dict) -> str:
    """The intent Rasa parsed for a user event ("" when there is none)."""
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""


def service_failed_in_session(tracker: Tracker) -> bool:
    """Whether the assistant told the customer this session that the data service failed."""
    return any(
        event.get("event") == "bot"
        and (event.get("metadata") or {}).get("utter_action") == UTTER_SERVICE_UNAVAILABLE
        for event in session_events(tracker)
    )


def transcript(tracker: Tracker) -> List[TranscriptLine]:
    """The session's messages, customer and assistant, newest last, redacted."""
    lines = []
    for event in session_events(tracker):
        kind, text = event.get("event"), event.get("text")
        if kind in ("user", "bot") and text:
            author = "customer" if kind == "user" else "assistant"
            lines.append(TranscriptLine(author=author, text=redact_text(text)[:MAX_TEXT]))
    return lines[-MAX_TRANSCRIPT_LINES:]


def summary(tracker: Tracker) -> HandoffSummary:
    """Intents in order (repeats collapsed), the entities given, what was tried, the last words."""
    intents: List[str] = []
    entities: Dict[str, str] = {}
    tried: List[str] = []
    for event in session_events(tracker):
        if event.get("event") == "user":
            intent = user_intent(event)
            if intent and (not intents or intents[-1] != intent):
                intents.append(intent)
            for entity in (event.get("parse_data") or {}).get("entities") or []:
                entities[entity.get("entity")] = redact_text(str(entity.get("value")))
        elif event.get("event") == "action":
            step = TRIED_BY_ACTION.get(event.get("name"))
            if step and step not in tried:
                tried.append(step)
    last = (tracker.latest_message or {}).get("text")
    return HandoffSummary(
        intents=intents[-50:],
        entities=entities,
        tried=tried,
        last_message=redact_text(last)[:MAX_TEXT] if last else None,
    )


def fallback_streak(tracker: Tracker, clarify_action: str) -> int:
    """How many of the customer's latest messages in a row the assistant did not understand.

    A "something else" (deny) in answer to a clarifying question continues the streak; any
    understood message ends it.
    """
    streak, previous_action = 0, None
    pairs = []
    for event in session_events(tracker):
        if event.get("event") == "action" and event.get("name") != "action_listen":
            previous_action = event.get("name")
        elif event.get("event") == "user":
            pairs.append((user_intent(event), previous_action))
    for intent, before in reversed(pairs):
        if intent == FALLBACK_INTENT:
            streak += 1
        elif not (intent == "deny" and before == clarify_action):
            break
    return streak
