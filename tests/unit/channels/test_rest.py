import uuid
from typing import List

import httpx
import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from channels.rest import GuardedRestInput


@pytest.fixture
async def rest(monkeypatch):
    """The REST webhook mounted as Rasa mounts it, and the messages it hands to Rasa."""
    received: List[UserMessage] = []

    async def on_new_message(message: UserMessage) -> None:
        received.append(message)

    app = Sanic(f"rest_test_{uuid.uuid4().hex}")
    app.blueprint(GuardedRestInput().blueprint(on_new_message), url_prefix="/webhooks/rest")
    monkeypatch.setattr(Sanic, "test_mode", True)  # lets Sanic start apps more than once
    await app._startup()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://rasa") as client:
        yield client, received


async def test_keeps_rasas_rest_url_and_behaviour(rest):
    client, received = rest
    response = await client.post(
        "/webhooks/rest/webhook", json={"sender": "U0ADA", "message": "hi"}
    )
    assert response.status_code == 200
    [message] = received
    assert (message.sender_id, message.text, message.input_channel) == ("U0ADA", "hi", "rest")


async def test_caller_cannot_pass_as_another_channel(rest):
    client, received = rest
    body = {"sender": "U0ADA", "message": "hi", "input_channel": "slack"}
    await client.post("/webhooks/rest/webhook", json=body)
    assert received[0].input_channel == "rest"  # Rasa's RestInput would say "slack"


@pytest.mark.parametrize("sender", ["slack:U0ADA", "slack:U0ADA_C0SUPPORT"])
async def test_slack_conversations_are_out_of_reach(rest, sender):
    client, received = rest
    response = await client.post("/webhooks/rest/webhook", json={"sender": sender, "message": "hi"})
    assert response.status_code == 400
    assert "slack:" in response.text
    assert received == []
