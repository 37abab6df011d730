"""Asking what the customer meant when the NLU is unsure; a human when it keeps failing.

The FallbackClassifier (thresholds in `config.yml`) predicts `nlu_fallback` when the top intent's
confidence is low or the top two are too close; this action then names the two or three most
likely intents in plain words, as buttons that carry the entities already found, plus "something
else". After repeated failures in a row it offers a human instead; valued customers get that
offer sooner.
"""

import json
from typing import Any, Dict, List, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation_summary import (
    FALLBACK_INTENT,
    fallback_streak,
    service_failed_in_session,
    session_events,
    user_intent,
)
from actions.insights_models import escalation_model
from actions.slots import (
    HANDOFF_OFFER,
    OFFER_ESCALATION_RISK,
    OFFER_REPEATED_FAILURE,
    SEGMENT,
    TIER,
)

ACTION_CLARIFY = "action_clarify"
UTTER_PLEASE_REPHRASE = "utter_please_rephrase"
UTTER_OFFER_HUMAN_AFTER_FAILURES = "utter_offer_human_after_failures"
SOMETHING_ELSE = {"title": "Something else", "payload": "/deny"}
MAX_OPTIONS = 3
# An intent is offered only if it is at least this share of the top candidate's confidence.
RELATIVE_FLOOR = 0.35
# Messages not understood in a row before a human is offered instead of another question.
FAILURES_BEFORE_HUMAN = {"high_value": 2, "at_risk": 2}
DEFAULT_FAILURES_BEFORE_HUMAN = 3
ENTITIES_CARRIED = ("order_id", "email", "phone_number")

# What each support intent means, as the end of "Did you mean to ...?" and as a button title.
MEANINGS: Dict[str, Tuple[str, str]] = {
    "place_order": ("place an order", "Place an order"),
    "track_order": ("check your order status", "Check order status"),
    "change_order": ("change an order", "Change an order"),
    "cancel_order": ("cancel an order", "Cancel an order"),
    "check_cancellation_fee": ("check the cancellation fee", "Cancellation fee"),
    "delivery_options": ("see the delivery options", "Delivery options"),
    "delivery_period": ("know how long delivery takes", "Delivery time"),
    "change_shipping_address": ("change a delivery address", "Change delivery address"),
    "set_up_shipping_address": ("add a delivery address", "Add a delivery address"),
    "get_refund": ("ask for a refund", "Ask for a refund"),
    "track_refund": ("check on a refund", "Refund status"),
    "check_refund_policy": ("read the refund policy", "Refund policy"),
    "check_payment_methods": ("see how you can pay", "Payment methods"),
    "payment_issue": ("sort out a payment problem", "Payment problem"),
    "check_invoice": ("look at your invoices", "My invoices"),
    "get_invoice": ("get an invoice", "Get an invoice"),
    "create_account": ("create an account", "Create an account"),
    "edit_account": ("update your contact info", "Update contact info"),
    "delete_account": ("delete your account", "Delete my account"),
    "switch_account": ("switch to another account", "Switch account"),
    "recover_password": ("reset your password", "Reset password"),
    "registration_problems": ("fix a sign-up problem", "Sign-up problem"),
    "newsletter_subscription": ("change your newsletter settings", "Newsletter"),
    "contact_customer_service": ("contact customer service", "Contact us"),
    "contact_human_agent": ("talk to a person", "Talk to a person"),
    "complaint": ("make a complaint", "Make a complaint"),
    "review": ("leave a review", "Leave a review"),
}


def likely_intents(tracker: Tracker) -> List[str]:
    """The two or three support intents the NLU found most likely, best first."""
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    candidates = [
        (entry.get("name"), entry.get("confidence") or 0.0)
        for entry in ranking
        if entry.get("name") in MEANINGS
    ][:MAX_OPTIONS]
    if not candidates:
        return []
    top = candidates[0][1]
    return [name for name, confidence in candidates if confidence >= top * RELATIVE_FLOOR]


def _payload(intent: str, tracker: Tracker) -> str:
    entities = {
        entity["entity"]: entity["value"]
        for entity in (tracker.latest_message or {}).get("entities") or []
        if entity.get("entity") in ENTITIES_CARRIED and isinstance(entity.get("value"), str)
    }
    return f"/{intent}{json.dumps(entities)}" if entities else f"/{intent}"


def question(intents: List[str]) -> str:
    """The question "Did you mean to A, B or C?" in plain words."""
    phrases = [MEANINGS[intent][0] for intent in intents]
    listed = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " or " + phrases[-1]
    return f"Did you mean to {listed}?"


def conversation_features(tracker: Tracker) -> Dict[str, Any]:
    """What the escalation-risk model reads from the conversation so far."""
    events = session_events(tracker)
    users = [e for e in events if e.get("event") == "user"]
    candidates = likely_intents(tracker)
    return {
        "intent": candidates[0] if candidates else None,
        "turns": len(users),
        "fallbacks": sum(user_intent(e) == FALLBACK_INTENT for e in users),
        "clarifications": sum(
            e.get("event") == "action" and e.get("name") == ACTION_CLARIFY for e in events
        ),
        "text": (tracker.latest_message or {}).get("text") or "",
        "service_error": service_failed_in_session(tracker),
    }


def likely_to_need_a_human(tracker: Tracker) -> bool:
    """Whether the escalation-risk model (when there is one) says to offer a human now."""
    model = escalation_model()
    if model is None:
        return False
    profile = {"tier": tracker.get_slot(TIER), "segment": tracker.get_slot(SEGMENT)}
    return bool(model.should_offer_human(profile, conversation_features(tracker)))


def failures_before_human(tracker: Tracker) -> int:
    """How many misunderstood messages in a row this customer's segment tolerates."""
    return FAILURES_BEFORE_HUMAN.get(tracker.get_slot(SEGMENT), DEFAULT_FAILURES_BEFORE_HUMAN)


class ActionClarify(Action):
    """Asks which of the likely intents was meant, or offers a human after repeated failures."""

    def name(self) -> str:
        return ACTION_CLARIFY

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        if fallback_streak(tracker, ACTION_CLARIFY) >= failures_before_human(tracker):
            dispatcher.utter_message(response=UTTER_OFFER_HUMAN_AFTER_FAILURES)
            return [SlotSet(HANDOFF_OFFER, OFFER_REPEATED_FAILURE)]
        if likely_to_need_a_human(tracker):
            dispatcher.utter_message(response=UTTER_OFFER_HUMAN_AFTER_FAILURES)
            return [SlotSet(HANDOFF_OFFER, OFFER_ESCALATION_RISK)]
        intents = likely_intents(tracker)
        if not intents:
            dispatcher.utter_message(response=UTTER_PLEASE_REPHRASE)
            return [SlotSet(HANDOFF_OFFER, None)]
        buttons = [
            {"title": MEANINGS[intent][1], "payload": _payload(intent, tracker)}
            for intent in intents
        ]
        dispatcher.utter_message(text=question(intents), buttons=[*buttons, SOMETHING_ELSE])
        return [SlotSet(HANDOFF_OFFER, None)]
