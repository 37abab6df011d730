"""How-to questions: the written answer, plus the help articles that fit this customer best.

The answer is the intent's own response (`utter_<intent>`, with its segment variations); the
articles come from the hybrid recommender in `insights/` (the message and intent, and for a
verified customer what resolved similar customers' tickets). No model, no articles: the answer
alone still stands.
"""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation_summary import user_intent
from actions.insights_models import recommender
from actions.slots import CUSTOMER_ID, VERIFIED

ACTION_ANSWER_HOW_TO = "action_answer_how_to"
HOW_TO_INTENTS = (
    "place_order",
    "change_order",
    "check_cancellation_fee",
    "delivery_options",
    "delivery_period",
    "check_refund_policy",
    "check_payment_methods",
    "create_account",
    "switch_account",
    "recover_password",
    "registration_problems",
)
ARTICLES_SHOWN = 2
MIN_SCORE = 0.05  # below this an article is hardly related to the question
ARTICLES_INTRO = "These help articles may also help:"


def articles_message(tracker: Tracker) -> str:
    """The recommended articles as one message, or "" when there are none."""
    model = recommender()
    if model is None:
        return ""
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name")
    customer = tracker.get_slot(CUSTOMER_ID) if tracker.get_slot(VERIFIED) else None
    found = model.recommend(message.get("text") or "", intent, customer, k=ARTICLES_SHOWN)
    lines = [f"- {r.title}: {r.url}" for r in found if r.score >= MIN_SCORE]
    return "\n".join([ARTICLES_INTRO, *lines]) if lines else ""


def answered_intent(tracker: Tracker) -> str:
    """The how-to intent being answered: the latest one, else the latest how-to in the session."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            name = user_intent(event)
            if name in HOW_TO_INTENTS:
                return name
    return HOW_TO_INTENTS[0]


class ActionAnswerHowTo(Action):
    """Sends `utter_<intent>` and the help articles recommended for the question."""

    def name(self) -> str:
        return ACTION_ANSWER_HOW_TO

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response=f"utter_{answered_intent(tracker)}")
        extra = articles_message(tracker)
        if extra:
            dispatcher.utter_message(text=extra)
        return []
