"""Personalized answers end to end: signed tokens, live data, segments, and no data leaks.

The fixture's shop (tests/unit/customer_data/factories.py): Ada is a silver customer with many
orders, Bob a gold customer (both derive to segment high_value), Cleo a bronze customer with two
small recent orders (segment standard). Tokens are signed with the deployment's WEB_TOKEN_SECRET,
as the shop's web page does.
"""

import uuid
from typing import Dict, List, Optional

import requests

from actions.identity import issue_customer_token
from tests.unit.customer_data.factories import (
    ADA,
    ADA_FRESH,
    ADA_OLD,
    ADA_SHIPPED,
    BOB,
    BOB_OLD,
    CLEO,
)

PERSONAL_MARKERS = ["Ada", "Bob", "Cleo", ADA_FRESH, ADA_OLD, ADA_SHIPPED, BOB_OLD]


def conversation(servers, messages: List[str], token: Optional[str] = None) -> List[str]:
    """Sends `messages` as one new conversation (the token with every message, as the widget
    does) and returns every text the assistant answered."""
    sender = f"e2e-{uuid.uuid4()}"
    texts = []
    for message in messages:
        body: Dict = {"sender": sender, "message": message}
        if token:
            body["metadata"] = {"customer_token": token}
        response = requests.post(f"{servers['rasa']}/webhooks/rest/webhook", json=body, timeout=30)
        response.raise_for_status()
        texts += [part.get("text") or "" for part in response.json()]
    return texts


def signed(servers, customer_id: str) -> str:
    return issue_customer_token(customer_id, servers["web_token_secret"])


def test_verified_customer_gets_live_order_status(servers):
    texts = conversation(servers, ["hello", "where is my last order?"], signed(servers, BOB))
    joined = " ".join(texts)
    assert "Bob" in joined
    assert BOB_OLD in joined  # Bob's only order, read from the data service
    assert "pending" in joined.lower() or "preparing" in joined.lower() or BOB_OLD in joined


def test_two_segments_get_different_answers_to_the_same_message(servers):
    cleo = conversation(servers, ["hi"], signed(servers, CLEO))
    bob = conversation(servers, ["hi"], signed(servers, BOB))
    assert any("Cleo" in text for text in cleo), cleo
    assert any("Bob" in text for text in bob), bob
    # Bob is high value (gold tier): his greeting offers the dedicated agent, Cleo's doesn't.
    assert [t.replace("Cleo", "X") for t in cleo] != [t.replace("Bob", "X") for t in bob]
    assert any("agent" in text.lower() for text in bob), bob
    assert not any("agent" in text.lower() for text in cleo), cleo


def test_anonymous_visitor_gets_no_personal_data(servers):
    texts = conversation(servers, ["hi", "where is my last order?", f"what about {BOB_OLD}"])
    joined = " ".join(texts)
    for marker in ["Ada", "Bob", "Cleo", ADA_FRESH, ADA_OLD, ADA_SHIPPED]:
        assert marker not in joined, (marker, texts)
    assert "pending" not in joined.lower()  # Bob's order status is never revealed


def test_forged_token_gets_no_personal_data(servers):
    forged = issue_customer_token(BOB, "a-secret-this-deployment-does-not-use-0000")
    texts = conversation(servers, ["hi", "where is my last order?"], forged)
    joined = " ".join(texts)
    for marker in PERSONAL_MARKERS:
        assert marker not in joined, (marker, texts)


def test_a_customer_cannot_read_another_customers_order(servers):
    texts = conversation(servers, [f"where is order {BOB_OLD}?"], signed(servers, ADA))
    joined = " ".join(texts)
    assert BOB_OLD in joined  # echoed back: "I can't find order ... on your account"
    assert "pending" not in joined.lower() and "Bob" not in joined
