import logging
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import FakeCustomerDataClient
from actions.customer_data_action import use_client
from actions.identity import issue_customer_token
from actions.session import (
    ActionSessionStart,
    anonymous_events,
    current_customer_id,
    ensure_customer,
)
from channels.slack_sender import SENDER_PROOF_KEY, sender_proof
from tests.unit.actions.clients.samples import CUSTOMER_ID, OTHER_CUSTOMER_ID, make_profile

SECRET = "test-secret-for-the-web-page-0123456789"  # noqa: S105
SLACK_USER = "U0123ABC"
SLACK_SENDER = "slack:U0123ABC"  # the sender id Rasa's Slack channel (ours) gives SLACK_USER
SLACK_SECRET = "test-slack-signing-secret"  # noqa: S105
PREVIOUS_IDENTITY = {
    "customer_id": OTHER_CUSTOMER_ID,
    "customer_first_name": "Max",
    "segment": "standard",
    "tier": "gold",
    "verified": True,
    "identity_source": "web_token",
    "open_order_ids": ["ORD-000009"],
    "last_order_id": "ORD-000009",
}
# What make_profile() gives a customer identified at session start.
JANE = {
    "customer_id": CUSTOMER_ID,
    "customer_first_name": "Jane",
    "segment": "high_value",
    "tier": "silver",
    "verified": True,
    "open_order_ids": ["ORD-000001"],
    "last_order_id": "ORD-000001",
}
IDENTITY_SLOT_NAMES = set(JANE) | {"identity_source"}


def identity(source: str) -> List[Dict[str, Any]]:
    slots = {**JANE, "identity_source": source}
    order = [
        "customer_id",
        "customer_first_name",
        "segment",
        "tier",
        "verified",
        "identity_source",
        "open_order_ids",
        "last_order_id",
    ]
    return [SlotSet(name, slots[name]) for name in order]


def tracker(
    previous_slots: Optional[Dict[str, Any]] = None,
    metadata: Optional[Dict[str, Any]] = None,
    channel: Optional[str] = None,
    latest_metadata: Optional[Dict[str, Any]] = None,
    sender_id: str = "web-visitor-1",
) -> Tracker:
    """The tracker Rasa sends: an earlier session, then the new session's metadata slot."""
    previous_slots = previous_slots or {}
    latest = {"text": "hi", "intent": {"name": "greet"}, "entities": []}
    if latest_metadata is not None:
        latest["metadata"] = latest_metadata
    events: List[Dict[str, Any]] = [{"event": "session_started"}]
    events += [SlotSet(name, value) for name, value in previous_slots.items()]
    if channel is not None:
        events.append(
            {"event": "user", "text": "hi", "parse_data": latest, "input_channel": channel}
        )
    slots = dict(previous_slots)
    if metadata is not None:
        events.append(SlotSet("session_started_metadata", metadata))
        slots["session_started_metadata"] = metadata
    return Tracker(
        sender_id=sender_id,
        slots=slots,
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def token(customer_id: str = CUSTOMER_ID, **kwargs: Any) -> str:
    return issue_customer_token(customer_id, SECRET, **kwargs)


def from_slack(sender_id: str = SLACK_SENDER, secret: str = SLACK_SECRET) -> Dict[str, Any]:
    """The metadata our Slack channel gives a message Slack signed."""
    return {
        "out_channel": "D0123",
        "users": ["UBOT"],
        SENDER_PROOF_KEY: sender_proof(secret, sender_id),
    }


def slot_names(events: List[Dict[str, Any]]) -> set:
    return {event["name"] for event in events if event["event"] == "slot"}


@pytest.fixture
def fake(monkeypatch) -> FakeCustomerDataClient:
    monkeypatch.setenv("WEB_TOKEN_SECRET", SECRET)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SLACK_SECRET)
    client = FakeCustomerDataClient()
    client.add_customer(make_profile(), identities=[("slack", SLACK_USER)])
    client.add_customer(make_profile(OTHER_CUSTOMER_ID, first_name="Max"))
    use_client(client)
    yield client
    use_client(None)


async def start(tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = await ActionSessionStart().run(dispatcher, tracker, domain)
    assert dispatcher.messages == []  # the session start never talks
    return events


# --- action_session_start -----------------------------------------------------------------


async def test_valid_web_token_identifies_the_customer(fake, domain):
    metadata = {"customer_token": token()}
    events = await start(tracker(metadata=metadata), domain)
    assert events == [
        SessionStarted(),
        SlotSet("session_started_metadata", metadata),
        *identity("web_token"),
        ActionExecuted("action_listen"),
    ]


async def test_token_in_the_widgets_custom_data_counts_too(fake, domain):
    metadata = {"customData": {"customer_token": token()}}
    events = await start(tracker(metadata=metadata), domain)
    assert events[2:-1] == identity("web_token")


async def test_slack_user_linked_to_a_customer_is_identified(fake, domain):
    # The first message ever: Rasa hasn't logged it, only its metadata is in the slot.
    metadata = from_slack()
    events = await start(tracker(metadata=metadata, sender_id=SLACK_SENDER), domain)
    assert events == [
        SessionStarted(),
        SlotSet("session_started_metadata", metadata),
        *identity("slack"),
        ActionExecuted("action_listen"),
    ]


async def test_unlinked_slack_user_stays_anonymous(fake, domain):
    sender = "slack:U9999999"
    events = await start(tracker(metadata=from_slack(sender), sender_id=sender), domain)
    assert not slot_names(events) & IDENTITY_SLOT_NAMES


@pytest.mark.parametrize(
    "sender_id, metadata",
    [
        (SLACK_USER, None),  # REST `sender: U0123ABC`, even with `input_channel: slack`
        (SLACK_SENDER, {"out_channel": "D0123"}),  # REST `sender: slack:U0123ABC`, no proof
        (SLACK_SENDER, from_slack(secret="a-guessed-secret")),
        (SLACK_SENDER, from_slack("slack:U9999999")),  # a real proof, for another sender
        (SLACK_USER, from_slack(SLACK_USER)),  # only `slack:` sender ids are Slack's
    ],
    ids=["bare-user-id", "no-proof", "forged-proof", "proof-of-another-sender", "no-prefix"],
)
async def test_slack_identity_needs_the_slack_channels_proof(fake, domain, sender_id, metadata):
    starting = tracker(metadata=metadata, sender_id=sender_id)
    assert not slot_names(await start(starting, domain)) & IDENTITY_SLOT_NAMES
    later = tracker(channel="slack", latest_metadata=metadata, sender_id=sender_id)
    assert await ensure_customer(fake, later) == (None, [])


async def test_slack_proof_is_ignored_without_the_signing_secret(fake, domain, monkeypatch, caplog):
    monkeypatch.delenv("SLACK_SIGNING_SECRET")
    events = await start(tracker(metadata=from_slack(), sender_id=SLACK_SENDER), domain)
    assert not slot_names(events) & IDENTITY_SLOT_NAMES
    assert "SLACK_SIGNING_SECRET is not set" in caplog.text


@pytest.mark.parametrize(
    "bad_token, logged",
    [
        (
            issue_customer_token(
                CUSTOMER_ID, SECRET, now=datetime.now(timezone.utc) - timedelta(hours=2)
            ),
            "token expired",
        ),
        (issue_customer_token(CUSTOMER_ID, "another-secret-entirely-0123456789"), "invalid token"),
        (issue_customer_token(CUSTOMER_ID, SECRET, lifetime=timedelta(days=7)), "lifetime"),
        ("not-a-token", "invalid token"),
    ],
    ids=["expired", "forged", "too-long-lived", "garbage"],
)
async def test_bad_token_clears_the_identity_carried_over(fake, domain, caplog, bad_token, logged):
    previous = {**PREVIOUS_IDENTITY, "order_id": "ORD-482913"}
    metadata = {"customer_token": bad_token}
    with caplog.at_level(logging.WARNING, logger="actions.session"):
        events = await start(tracker(previous, metadata=metadata), domain)
    assert events == [
        SessionStarted(),
        SlotSet("order_id", "ORD-482913"),  # conversation slots are carried over as by Rasa
        SlotSet("session_started_metadata", metadata),
        ActionExecuted("action_listen"),
    ]
    assert logged in caplog.text
    assert bad_token not in caplog.text


async def test_no_token_means_anonymous_whatever_the_last_session_said(fake, domain):
    previous = {**PREVIOUS_IDENTITY, "pending_action": "track_order_form", "email": "x@example.com"}
    events = await start(tracker(previous, metadata={"other": 1}), domain)
    assert not slot_names(events) & (IDENTITY_SLOT_NAMES | {"pending_action", "email"})


async def test_metadata_of_an_earlier_session_is_not_read_again(fake, domain):
    # The slot still holds the last session's metadata; this message brought none.
    previous = {"session_started_metadata": {"customer_token": token()}}
    events = await start(tracker(previous, channel="socketio"), domain)
    assert not slot_names(events) & IDENTITY_SLOT_NAMES


async def test_outage_leaves_the_visitor_anonymous_without_a_crash(fake, domain, caplog):
    fake.available = False
    events = await start(tracker(metadata={"customer_token": token()}), domain)
    assert not slot_names(events) & IDENTITY_SLOT_NAMES
    assert events[-1] == ActionExecuted("action_listen")
    assert "continuing anonymously" in caplog.text


async def test_token_for_an_unknown_customer_is_anonymous(fake, domain):
    events = await start(tracker(metadata={"customer_token": token("C0999999")}), domain)
    assert not slot_names(events) & IDENTITY_SLOT_NAMES


async def test_token_is_ignored_when_the_secret_is_not_configured(fake, domain, monkeypatch):
    monkeypatch.delenv("WEB_TOKEN_SECRET")
    events = await start(tracker(metadata={"customer_token": token()}), domain)
    assert not slot_names(events) & IDENTITY_SLOT_NAMES


async def test_nothing_is_carried_over_when_the_domain_says_so(fake, domain):
    no_carry = {**domain, "session_config": {"carry_over_slots_to_new_session": False}}
    events = await start(tracker({"order_id": "ORD-482913"}), no_carry)
    assert events == [SessionStarted(), ActionExecuted("action_listen")]


# --- identity on later turns ----------------------------------------------------------------


async def test_token_on_a_later_message_identifies_the_customer(fake):
    later = tracker(latest_metadata={"customer_token": token()})
    customer_id, events = await ensure_customer(fake, later)
    assert customer_id == CUSTOMER_ID
    assert events == identity("web_token")
    assert later.get_slot("customer_first_name") == "Jane"  # visible to the caller at once


async def test_slack_message_identifies_the_customer_on_a_later_turn(fake):
    customer_id, events = await ensure_customer(
        fake, tracker(channel="slack", latest_metadata=from_slack(), sender_id=SLACK_SENDER)
    )
    assert customer_id == CUSTOMER_ID
    assert events == identity("slack")


async def test_verified_customer_needs_no_lookup(fake):
    fake.available = False
    slots = {**JANE, "identity_source": "web_token"}
    assert await ensure_customer(fake, tracker(slots)) == (CUSTOMER_ID, [])


async def test_slack_identity_does_not_hold_on_another_channel(fake):
    slots = {**JANE, "identity_source": "slack"}
    # A REST caller posting into the Slack conversation, claiming to be Slack.
    rest = tracker(slots, channel="slack", sender_id=SLACK_SENDER)
    assert current_customer_id(rest) is None
    assert await ensure_customer(fake, rest) == (None, anonymous_events())
    slack = tracker(slots, channel="slack", latest_metadata=from_slack(), sender_id=SLACK_SENDER)
    assert current_customer_id(slack) == CUSTOMER_ID


async def test_anonymous_visitor_without_token_costs_no_lookup(fake):
    fake.available = False  # any call would fail
    assert await ensure_customer(fake, tracker(channel="rest")) == (None, [])


def test_unverified_slots_are_no_identity():
    assert current_customer_id(tracker({"customer_id": CUSTOMER_ID, "verified": False})) is None
    assert current_customer_id(tracker({"verified": True})) is None
