"""Who the assistant is talking to: identity at session start and on later turns.

A customer is identified only from something the visitor can't make up: a signed web token in
the message metadata (the chat widget's `customData`), or a message the Slack channel vouches for
(`channels.slack_sender`: sender id `slack:<user>` plus an HMAC in the metadata), whose user id is
linked to a customer in the customer data service. The input channel's name alone proves nothing:
a REST caller can set `input_channel: slack` and any sender id. Everything else is an anonymous
visitor, whatever slots an earlier session left behind.

The identity is looked up in two places:

- `ActionSessionStart` (replaces Rasa's default) reads the metadata of the message that starts
  the session, so the first answer (the greeting) can already fit the customer.
- `ensure_customer` runs in every action that shows personal data, for the current message. It
  catches what the session start can't see: a token that arrives on a later message (the widget
  sends it with every message), and a Slack identity checked again on every message, so a message
  from another channel in the same conversation doesn't inherit it.
"""

import logging
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import CustomerDataClient, CustomerDataError, NotFound
from actions.customer_data_action import CustomerDataAction, customer_data_client
from actions.identity import (
    InvalidCustomerToken,
    token_from_metadata,
    verify_customer_token,
    web_token_secret,
)
from actions.segments import segment_for
from actions.slots import (
    CUSTOMER_FIRST_NAME,
    CUSTOMER_ID,
    IDENTITY_SLOTS,
    IDENTITY_SOURCE,
    LAST_ORDER_ID,
    OPEN_ORDER_IDS,
    SEGMENT,
    SESSION_ONLY_SLOTS,
    SESSION_STARTED_METADATA,
    TIER,
    VERIFIED,
)
from channels.slack_sender import slack_signing_secret, vouched_slack_user
from customer_data.schemas import Profile

logger = logging.getLogger(__name__)

ACTION_LISTEN = "action_listen"
SLACK_CHANNEL = "slack"  # Rasa's input channel name, and the identities table's channel
SOURCE_WEB_TOKEN = "web_token"  # noqa: S105 (a label, not a secret)
SOURCE_SLACK = "slack"
SOURCE_VERIFICATION = "verification"

Identity = Tuple[Profile, str]  # the customer's profile and how they were identified


def identity_events(profile: Profile, source: str) -> List[EventType]:
    """The identity slots of a verified customer, from their profile."""
    last_order = profile.last_order
    return [
        SlotSet(CUSTOMER_ID, profile.customer_id),
        SlotSet(CUSTOMER_FIRST_NAME, profile.first_name),
        SlotSet(SEGMENT, segment_for(profile)),
        SlotSet(TIER, profile.tier),
        SlotSet(VERIFIED, True),
        SlotSet(IDENTITY_SOURCE, source),
        SlotSet(OPEN_ORDER_IDS, [order.id for order in profile.open_orders]),
        SlotSet(LAST_ORDER_ID, last_order.id if last_order else None),
    ]


def anonymous_events() -> List[EventType]:
    """Clears every identity slot: the visitor is anonymous."""
    return [SlotSet(slot, False if slot == VERIFIED else None) for slot in IDENTITY_SLOTS]


def current_customer_id(tracker: Tracker) -> Optional[str]:
    """The verified customer of this conversation, or None for an anonymous visitor.

    A Slack identity only holds for messages Slack vouches for: Rasa keys conversations by
    sender id alone, so a REST client could otherwise post into a Slack user's conversation.
    """
    customer_id = tracker.get_slot(CUSTOMER_ID)
    if tracker.get_slot(VERIFIED) is not True or not customer_id:
        return None
    if tracker.get_slot(IDENTITY_SOURCE) == SOURCE_SLACK:
        if _slack_user(tracker, _latest_metadata(tracker)) is None:
            return None
    return customer_id


async def identify(
    client: CustomerDataClient, token: Optional[str], slack_user: Optional[str]
) -> Optional[Identity]:
    """The customer named by a web token or linked to a Slack user id, or None.

    Never raises: a refused token or an unreachable service leaves the visitor anonymous and is
    logged (without the token's contents).
    """
    try:
        if token is not None:
            return await _identify_by_token(client, token)
        if slack_user:
            profile = await CustomerDataAction.call(client.find_profile, SLACK_CHANNEL, slack_user)
            return (profile, SOURCE_SLACK) if profile is not None else None
    except CustomerDataError as error:
        logger.warning("identity lookup failed, continuing anonymously: %r", error)
    return None


async def _identify_by_token(client: CustomerDataClient, token: str) -> Optional[Identity]:
    secret = web_token_secret()
    if secret is None:
        logger.warning("a customer token arrived but WEB_TOKEN_SECRET is not set; ignoring it")
        return None
    try:
        customer_id = verify_customer_token(token, secret)
    except InvalidCustomerToken as error:
        # The reason's first part only ("token expired", "invalid token"): never token contents.
        logger.warning("customer token refused (%s); continuing anonymously", _short(error.reason))
        return None
    try:
        profile = await CustomerDataAction.call(client.get_profile, customer_id)
    except NotFound:
        logger.warning("a valid customer token names an unknown customer; continuing anonymously")
        return None
    return profile, SOURCE_WEB_TOKEN


def _short(reason: str) -> str:
    return reason.split(":", 1)[0]


def _slack_user(tracker: Tracker, metadata: Optional[Dict[str, Any]]) -> Optional[str]:
    """The Slack user (`U0ADA` of sender id `slack:U0ADA`), if Slack vouches for the message.

    `metadata` is the message's: the latest one on later turns; at session start the one
    starting the session, which Rasa has not logged yet.
    """
    return vouched_slack_user(tracker.sender_id, metadata, slack_signing_secret())


async def ensure_customer(
    client: CustomerDataClient, tracker: Tracker
) -> Tuple[Optional[str], List[EventType]]:
    """The verified customer for the current message, and the slot events that say so.

    Identifies the customer from the current message when the session hasn't (see the module
    docstring) and updates `tracker` with the new slots, so the caller reads them at once.
    """
    customer_id = current_customer_id(tracker)
    if customer_id is not None:
        return customer_id, []
    metadata = _latest_metadata(tracker)
    found = await identify(client, token_from_metadata(metadata), _slack_user(tracker, metadata))
    if found is None:
        # A Slack identity seen from another channel is dropped, not just ignored.
        events = anonymous_events() if tracker.get_slot(VERIFIED) else []
    else:
        profile, source = found
        events = identity_events(profile, source)
    tracker.add_slots(events)
    return current_customer_id(tracker), events


class ActionSessionStart(Action):
    """Starts a session like Rasa's default, then sets who the assistant is talking to.

    Slots are carried over as Rasa does (`session_config.carry_over_slots_to_new_session`),
    except the identity and verification slots: every session proves the identity again.
    """

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        """Emits `SessionStarted`, the carried-over slots, the identity, then `action_listen`."""
        events: List[EventType] = [SessionStarted()]
        if domain.get("session_config", {}).get("carry_over_slots_to_new_session", True):
            events += _carried_over_slots(tracker)
        metadata = _new_metadata(tracker)
        token = token_from_metadata(metadata)
        slack_user = _slack_user(tracker, metadata)
        found = None
        if token is not None or slack_user is not None:  # else there is nothing to look up
            found = await identify(customer_data_client(), token, slack_user)
        if found is not None:
            profile, source = found
            events += identity_events(profile, source)
        events.append(ActionExecuted(ACTION_LISTEN))
        return events


def _carried_over_slots(tracker: Tracker) -> List[EventType]:
    """The previous session's slot events (as Rasa's default carries them), minus identity."""
    applied = tracker.applied_events()
    starts = [index for index, event in enumerate(applied) if event["event"] == "session_started"]
    previous_session = applied[starts[-1] + 1 :] if starts else applied
    carried = []
    for event in previous_session:
        if event["event"] != "slot" or event["name"] in SESSION_ONLY_SLOTS:
            continue
        slot = SlotSet(event["name"], event.get("value"))
        if event.get("metadata"):
            slot["metadata"] = event["metadata"]
        carried.append(slot)
    return carried


def _latest_metadata(tracker: Tracker) -> Optional[Dict[str, Any]]:
    return tracker.latest_message.get("metadata")


def _new_metadata(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The metadata of the message starting this session, if it brought any.

    Rasa sets `session_started_metadata` right before running this action, and only when the
    message has metadata; an older value in the slot belongs to an earlier session.
    """
    events = tracker.events
    if events and events[-1].get("event") == "slot":
        if events[-1].get("name") == SESSION_STARTED_METADATA:
            return events[-1].get("value")
    return None
