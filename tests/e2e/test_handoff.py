"""Clarification, handoff to an agent, agent replies, hand-back and CSAT, all servers on loopback.

The customer talks over the web widget's socket.io channel, so the agent's reply is delivered
the way a real one is: the data service asks Rasa's HTTP API to put it into the conversation,
and Rasa emits it on the customer's socket.
"""

import asyncio
import json
import time
from typing import Dict, List, Optional

import pytest
import requests

from actions.clarification import MEANINGS
from actions.identity import issue_customer_token
from tests.e2e.socket_customer import SocketCustomer
from tests.unit.customer_data.factories import ADA, CLEO

# Vague messages; the test uses whichever the current model is unsure about (it checks that
# with Rasa's parse API first), so it tests the behaviour, not one model's numbers.
VAGUE_MESSAGES = [
    "refund or cancel idk",
    "help with my stuff",
    "order account",
    "my order thing and the account",
    "invoice payment",
    "change it",
    "the money",
    "account",
]


def agent(servers) -> Dict[str, str]:
    return {"Authorization": f"Bearer {servers['agent_token']}"}


def queue(servers) -> List[dict]:
    response = requests.get(
        f"{servers['customer_data_url']}/api/handoffs", headers=agent(servers), timeout=10
    )
    response.raise_for_status()
    return response.json()


def handoff_of(servers, conversation_id: str) -> Optional[dict]:
    return next((h for h in queue(servers) if h["conversation_id"] == conversation_id), None)


def detail(servers, handoff_id: int) -> dict:
    url = f"{servers['customer_data_url']}/api/handoffs/{handoff_id}"
    response = requests.get(url, headers=agent(servers), timeout=10)
    response.raise_for_status()
    return response.json()


def agent_post(servers, path: str, body: dict) -> dict:
    url = f"{servers['customer_data_url']}/api/handoffs/{path}"
    response = requests.post(url, json=body, headers=agent(servers), timeout=30)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def wait_until(condition, timeout: float = 15.0, describe=lambda: ""):
    """Polls `condition` without blocking the event loop (the socket client runs on it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        await asyncio.sleep(0.2)
    raise AssertionError(f"condition not met in {timeout} s: {describe()}")


def unsure_message(servers) -> str:
    for text in VAGUE_MESSAGES:
        response = requests.post(
            f"{servers['rasa']}/model/parse",
            params={"token": servers["rasa_api_token"]},
            json={"text": text},
            timeout=10,
        )
        response.raise_for_status()
        parsed = response.json()
        candidates = [r["name"] for r in parsed["intent_ranking"] if r["name"] in MEANINGS]
        if parsed["intent"]["name"] == "nlu_fallback" and candidates:
            return text
    pytest.fail(f"the model is confident about every vague message: {VAGUE_MESSAGES}")


async def customer(servers, customer_id: Optional[str] = None) -> SocketCustomer:
    token = issue_customer_token(customer_id, servers["web_token_secret"]) if customer_id else None
    socket = SocketCustomer(servers["rasa"], token)
    await socket.connect()
    return socket


def buttons(message: dict) -> List[dict]:
    return message.get("quick_replies") or message.get("buttons") or []


async def test_unsure_message_gets_buttons_and_a_click_continues_the_flow(servers):
    text = unsure_message(servers)
    socket = await customer(servers, CLEO)
    try:
        await socket.say(text)
        question = await socket.wait_for(lambda m: m.get("text", "").startswith("Did you mean"))
        options = buttons(question)
        assert options[-1]["title"] == "Something else"
        chosen = options[0]["payload"]
        intent = chosen[1:].split("{")[0]
        seen = len(socket.received)
        await socket.say(chosen)
        await socket.wait_for(lambda m: socket.received.index(m) >= seen)
        tracker = requests.get(
            f"{servers['rasa']}/conversations/{socket.session_id}/tracker",
            params={"token": servers["rasa_api_token"]},
            timeout=10,
        ).json()
        assert tracker["latest_message"]["intent"]["name"] == intent
        assert tracker["latest_action_name"] != "action_clarify"
    finally:
        await socket.close()


async def test_handoff_agent_reply_hand_back_close_and_rating(servers):
    socket = await customer(servers, ADA)
    try:
        await socket.say("/contact_human_agent")
        await socket.wait_for_text("expected wait")

        handoff = await wait_until(
            lambda: handoff_of(servers, socket.session_id),
            describe=lambda: (socket.session_id, queue(servers)),
        )
        assert handoff["customer_id"] == ADA
        assert (handoff["segment"], handoff["priority"]) == ("high_value", "high")
        assert handoff["channel"] == "socketio"
        assert detail(servers, handoff["id"])["profile"]["customer_id"] == ADA

        # While paused the assistant stays silent and the message goes to the agent.
        seen = len(socket.received)
        await socket.say("hello? is anyone there?")
        await wait_until(
            lambda: detail(servers, handoff["id"])["messages"][-1]["text"]
            == "hello? is anyone there?",
            describe=lambda: detail(servers, handoff["id"])["messages"],
        )
        await asyncio.sleep(1)
        assert len(socket.received) == seen

        reply = "Hi Ada, this is Sam. I'm looking at your orders now."
        result = agent_post(servers, f"{handoff['id']}/messages", {"agent": "sam", "text": reply})
        assert result["delivered"] is True
        await socket.wait_for_text("this is Sam")

        back = agent_post(servers, f"{handoff['id']}/hand-back", {"agent": "sam"})
        assert back["delivered"] and back["handoff"]["status"] == "returned"
        await socket.wait_for_text("You're back with the Brightcart assistant")
        seen = len(socket.received)
        await socket.say("/greet")
        await socket.wait_for(lambda m: socket.received.index(m) >= seen)  # the assistant answers

        # A second handoff, closed by the agent: the assistant asks for a rating.
        await socket.say("/contact_human_agent")
        second = await wait_until(
            lambda: (h := handoff_of(servers, socket.session_id))
            and h["id"] != handoff["id"]
            and h,
            describe=lambda: [m.get("text") for m in socket.received],
        )
        closed = agent_post(servers, f"{second['id']}/close", {"agent": "sam"})
        assert closed["delivered"] is True
        rating_question = await socket.wait_for_text("how would you rate")
        assert [b["payload"] for b in buttons(rating_question)] == ["1", "2", "3", "4", "5"]
        await socket.say("5")
        await socket.wait_for_text("Anything you'd like to tell us")
        await socket.say("/deny")
        await socket.wait_for_text("Thank you for your feedback")
    finally:
        await socket.close()

    summary = requests.get(
        f"{servers['customer_data_url']}/api/satisfaction/summary",
        headers={"Authorization": f"Bearer {servers['customer_data_token']}"},
        timeout=10,
    ).json()
    assert {"flow": "handoff", "human_involved": True, "ratings": 1, "average": 5.0} in summary


async def test_a_valued_customers_complaint_is_queued_as_urgent(servers):
    conversation_id = f"e2e-complaint-{time.time_ns()}"
    token = issue_customer_token(ADA, servers["web_token_secret"])
    body = {
        "sender": conversation_id,
        "message": "/complaint",
        "metadata": {"customer_token": token},
    }
    response = requests.post(f"{servers['rasa']}/webhooks/rest/webhook", json=body, timeout=30)
    texts = " ".join(part.get("text", "") for part in response.json())
    assert "expected wait" in texts, texts
    handoff = await wait_until(lambda: handoff_of(servers, conversation_id))
    assert (handoff["reason"], handoff["priority"]) == ("complaint", "urgent")
    assert json.dumps(detail(servers, handoff["id"])["summary"]["intents"]) == '["complaint"]'
