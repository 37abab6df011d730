"""Handing a conversation to a human agent, and taking it back when the agent is done.

`action_handoff` queues the conversation in the support desk with a reason, the summary and the
transcript, tells the customer the expected wait and pauses the assistant (`ConversationPaused`):
from then on Rasa stores the customer's messages without answering, and the tracker store relays
them to the handoff. Outside business hours it offers a follow-up ticket instead. The data service
ends a handoff by running `action_handoff_closed` (then a rating is asked) or
`action_handoff_returned` through Rasa's API.
"""

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import (
    ActionExecuted,
    ActiveLoop,
    ConversationPaused,
    ConversationResumed,
    EventType,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import CustomerDataClient, SupportDeskClient
from actions.conversation_summary import (
    service_failed_in_session,
    session_events,
    summary,
    transcript,
    user_intent,
)
from actions.personal_data_action import PersonalDataAction
from actions.slots import (
    CSAT_DUE,
    CSAT_FORM,
    CSAT_RATING,
    CUSTOMER_ID,
    HANDOFF_OFFER,
    OFFER_AFTER_HOURS,
    OFFER_COMPLAINT,
    OFFER_ESCALATION_RISK,
    OFFER_REPEATED_FAILURE,
    REQUESTED_SLOT,
    SEGMENT,
    VERIFIED,
)
from actions.support_desk_action import SupportDeskAction
from customer_data.handoffs.priority import (
    COMPLAINT,
    CUSTOMER_REQUEST,
    ESCALATION_RISK,
    REPEATED_FAILURE,
    SERVICE_DOWN,
)
from customer_data.handoffs.schemas import HandoffCreate

UTTER_HANDOFF_QUEUED = "utter_handoff_queued"
UTTER_HANDOFF_AFTER_HOURS = "utter_handoff_after_hours"
UTTER_HANDOFF_AFTER_HOURS_ANONYMOUS = "utter_handoff_after_hours_anonymous"
UTTER_HANDOFF_UNAVAILABLE = "utter_handoff_unavailable"
UTTER_FOLLOWUP_TICKET_OPENED = "utter_followup_ticket_opened"
UTTER_HANDOFF_CLOSED = "utter_handoff_closed"
UTTER_HANDOFF_RETURNED = "utter_handoff_returned"
UTTER_ASK_CSAT_RATING = "utter_ask_csat_rating"
REASON_BY_OFFER = {
    OFFER_REPEATED_FAILURE: REPEATED_FAILURE,
    OFFER_COMPLAINT: COMPLAINT,
    OFFER_ESCALATION_RISK: ESCALATION_RISK,
}
COMPLAINT_INTENT = "complaint"
DEFAULT_CHANNEL = "rest"
FOLLOWUP_CATEGORY = "contact"
OPENING_FORMAT = "%A %H:%M UTC"
# Rasa runs an action executed through its API without predicting `action_listen` after it; the
# conversation's next message must follow a listen for the rules to match it.
ACTION_LISTEN = "action_listen"


def handoff_reason(tracker: Tracker) -> str:
    """Why the conversation goes to a human, from the standing offer or the conversation."""
    offered = REASON_BY_OFFER.get(tracker.get_slot(HANDOFF_OFFER))
    if offered:
        return offered
    if service_failed_in_session(tracker):
        return SERVICE_DOWN
    return CUSTOMER_REQUEST


def _verified_customer(tracker: Tracker) -> Optional[str]:
    return tracker.get_slot(CUSTOMER_ID) if tracker.get_slot(VERIFIED) else None


def _complained(tracker: Tracker) -> bool:
    return any(
        event.get("event") == "user" and user_intent(event) == COMPLAINT_INTENT
        for event in session_events(tracker)
    )


class ActionHandoff(SupportDeskAction):
    """Queues the conversation for an agent and pauses the assistant (or offers a ticket)."""

    def name(self) -> str:
        return "action_handoff"

    async def act(
        self,
        desk: SupportDeskClient,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        customer_id = _verified_customer(tracker)
        availability = await self.call(desk.availability)
        if not availability.open:
            opening = availability.next_opening.strftime(OPENING_FORMAT)
            if customer_id is None:
                dispatcher.utter_message(
                    response=UTTER_HANDOFF_AFTER_HOURS_ANONYMOUS, opening=opening
                )
                return [SlotSet(HANDOFF_OFFER, None)]
            dispatcher.utter_message(response=UTTER_HANDOFF_AFTER_HOURS, opening=opening)
            return [SlotSet(HANDOFF_OFFER, OFFER_AFTER_HOURS)]
        request = HandoffCreate(
            conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or DEFAULT_CHANNEL,
            customer_id=customer_id,
            segment=tracker.get_slot(SEGMENT) if customer_id else None,
            reason=handoff_reason(tracker),
            complaint=_complained(tracker),
            summary=summary(tracker),
            transcript=transcript(tracker),
        )
        handoff = await self.call(desk.create_handoff, request)
        dispatcher.utter_message(
            response=UTTER_HANDOFF_QUEUED,
            wait=handoff.expected_wait_minutes or availability.expected_wait_minutes,
        )
        return [SlotSet(HANDOFF_OFFER, None), ConversationPaused()]

    def answer_when_unavailable(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        dispatcher.utter_message(response=UTTER_HANDOFF_UNAVAILABLE)
        return [SlotSet(HANDOFF_OFFER, None)]


class ActionOpenFollowupTicket(PersonalDataAction):
    """Outside business hours: a ticket, so an agent e-mails the customer when the team is in."""

    def name(self) -> str:
        return "action_open_followup_ticket"

    anonymous_response = UTTER_HANDOFF_UNAVAILABLE
    anonymous_slot_resets = (HANDOFF_OFFER,)

    async def answer_customer(
        self,
        client: CustomerDataClient,
        customer_id: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        topics = ", ".join(summary(tracker).intents[-5:]) or "a question in the chat"
        subject = f"Please e-mail the customer: asked for an agent after hours about {topics}"
        ticket = await self.call(client.create_ticket, customer_id, FOLLOWUP_CATEGORY, subject)
        dispatcher.utter_message(response=UTTER_FOLLOWUP_TICKET_OPENED, ticket_id=ticket.id)
        return [SlotSet(HANDOFF_OFFER, None)]


class ActionHandoffClosed(Action):
    """Run by the data service when an agent resolved the handoff: resume, then ask for a rating."""

    def name(self) -> str:
        return "action_handoff_closed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response=UTTER_HANDOFF_CLOSED)
        # Rasa runs no prediction after an action executed through its API, so the rating
        # form is started here: its first question is asked and the form waits for the answer.
        dispatcher.utter_message(response=UTTER_ASK_CSAT_RATING)
        return [
            ConversationResumed(),
            SlotSet(CSAT_DUE, True),
            ActiveLoop(CSAT_FORM),
            SlotSet(REQUESTED_SLOT, CSAT_RATING),
            ActionExecuted(ACTION_LISTEN),
        ]


class ActionHandoffReturned(Action):
    """Run by the data service when an agent hands the conversation back to the assistant."""

    def name(self) -> str:
        return "action_handoff_returned"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response=UTTER_HANDOFF_RETURNED)
        return [ConversationResumed(), ActionExecuted(ACTION_LISTEN)]
