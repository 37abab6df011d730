import asyncio
import time
import uuid
from typing import Any, Dict, List, Tuple

import httpx
import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.slack import SlackInput
from sanic import Sanic

from channels.slack import (
    SLACK_API_TIMEOUT_S,
    DisabledSlackInput,
    EnvironmentSlackBot,
    EnvironmentSlackInput,
    slack_settings_from_env,
)
from channels.slack_sender import slack_user_from_sender, vouched_slack_user
from tests.unit.channels.slack_events import (
    app_mention,
    bot_message,
    channel_message,
    dm_message,
    message_changed,
    signed,
    url_verification,
)


def test_slack_is_off_without_token_and_secret(monkeypatch):
    monkeypatch.delenv("SLACK_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    channel = EnvironmentSlackInput.from_credentials({"use_threads": False})
    assert isinstance(channel, DisabledSlackInput)
    assert channel.name() == "slack"  # same webhook URL as the real channel


def test_a_token_without_signing_secret_is_not_enough(monkeypatch):
    # Without the signing secret requests could not be verified, so Slack stays off.
    monkeypatch.setenv("SLACK_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "  ")
    assert slack_settings_from_env() is None


def test_slack_is_configured_from_the_environment(monkeypatch):
    monkeypatch.setenv("SLACK_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "signing-secret")
    monkeypatch.setenv("SLACK_CHANNEL", "C0123")
    channel = EnvironmentSlackInput.from_credentials({"use_threads": True})
    assert isinstance(channel, SlackInput)
    assert channel.slack_token == "xoxb-test"
    assert channel.slack_signing_secret == "signing-secret"
    assert channel.slack_channel == "C0123"
    assert channel.use_threads is True


# --- Slack's requests through the webhook -----------------------------------------------------

SECRET = "unit-test-signing-secret"  # noqa: S105
TOKEN = "xoxb-unit-test"  # noqa: S105
FAKE_API = "http://127.0.0.1:9/api/"  # never called: the unit tests don't post


class SlackWebhook:
    """Our Slack channel mounted as Rasa mounts it, with the messages it hands to Rasa."""

    def __init__(self, channel: EnvironmentSlackInput) -> None:
        self.channel = channel
        self.received: List[UserMessage] = []
        self.app = Sanic(f"slack_test_{uuid.uuid4().hex}")

        async def on_new_message(message: UserMessage) -> None:
            self.received.append(message)

        self.app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/slack")

    async def post(self, body: bytes, headers: Dict[str, str]) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://rasa") as client:
            response = await client.post("/webhooks/slack/webhook", content=body, headers=headers)
        # Rasa hands the message on in a background task; let it run before looking.
        await asyncio.gather(*list(self.channel._background_tasks))
        return response


@pytest.fixture
async def webhook(monkeypatch) -> SlackWebhook:
    monkeypatch.setenv("SLACK_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("SLACK_API_URL", FAKE_API)
    monkeypatch.delenv("SLACK_CHANNEL", raising=False)
    # As in credentials.yml.
    channel = EnvironmentSlackInput.from_credentials(
        {"use_threads": False, "conversation_granularity": "sender"}
    )
    slack = SlackWebhook(channel)
    # Test mode (as sanic-testing sets it) lets Sanic start an app more than once per process.
    monkeypatch.setattr(Sanic, "test_mode", True)
    await slack.app._startup()  # what an ASGI server's lifespan start does
    return slack


async def test_signed_direct_message_reaches_rasa_as_a_slack_conversation(webhook):
    response = await webhook.post(
        *signed(dm_message("U0ADA", "where is my order?", "D0ADA"), SECRET)
    )
    assert response.status_code == 200
    [message] = webhook.received
    assert message.text == "where is my order?"
    assert message.sender_id == "slack:U0ADA"
    assert message.input_channel == "slack"
    assert vouched_slack_user(message.sender_id, message.metadata, SECRET) == "U0ADA"
    # The reply goes to the DM the message came from, through the configured Web API.
    assert isinstance(message.output_channel, EnvironmentSlackBot)
    assert message.output_channel.slack_channel == "D0ADA"
    assert message.output_channel.client.base_url == FAKE_API
    assert message.output_channel.client.timeout == SLACK_API_TIMEOUT_S


async def test_mention_in_a_channel_is_answered_in_that_channel(webhook):
    await webhook.post(*signed(app_mention("U0ADA", "hello", "C0SUPPORT"), SECRET))
    [message] = webhook.received
    assert message.text == "hello"  # the `<@bot>` mention is removed
    assert message.sender_id == "slack:U0ADA"
    assert message.output_channel.slack_channel == "C0SUPPORT"


async def test_channel_chatter_not_addressed_to_the_app_is_ignored(webhook):
    response = await webhook.post(*signed(channel_message("U0ADA", "lunch?", "C0RANDOM"), SECRET))
    assert response.status_code == 200
    assert webhook.received == []


async def test_url_verification_echoes_the_challenge(webhook):
    response = await webhook.post(*signed(url_verification("3eZbrw1aBm2rZgRNFdxV2595"), SECRET))
    assert response.status_code == 200
    # Rasa answers with the challenge as a JSON string (`"3eZ..."`), not Slack's documented
    # text/plain or {"challenge": ...}; this pins what it does.
    assert response.json() == "3eZbrw1aBm2rZgRNFdxV2595"
    assert webhook.received == []


def _tampered(body: bytes, headers: Dict[str, str]) -> Tuple[bytes, Dict[str, str]]:
    return body.replace(b"where is my order?", b"cancel all orders"), headers


def _unsigned(body: bytes, headers: Dict[str, str]) -> Tuple[bytes, Dict[str, str]]:
    return body, {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    "request_parts",
    [
        lambda payload: signed(payload, "not-the-signing-secret"),
        lambda payload: _tampered(*signed(payload, SECRET)),
        lambda payload: _unsigned(*signed(payload, SECRET)),
        lambda payload: signed(payload, SECRET, timestamp=int(time.time()) - 6 * 60),
        lambda payload: signed(payload, SECRET, timestamp=int(time.time()) + 6 * 60),
    ],
    ids=["wrong-secret", "body-changed", "no-signature", "stale-6-min", "future-6-min"],
)
async def test_unauthentic_requests_are_refused_and_not_processed(webhook, request_parts):
    response = await webhook.post(*request_parts(dm_message("U0ADA", "where is my order?", "D0")))
    assert response.status_code == 400  # Rasa's answer (not 401/403)
    assert "X-Slack-Signature" in response.text
    assert webhook.received == []


async def test_forged_url_verification_is_refused(webhook):
    response = await webhook.post(*signed(url_verification("abc"), "not-the-signing-secret"))
    assert response.status_code == 400
    assert "abc" not in response.text


async def test_timestamp_within_five_minutes_is_accepted(webhook):
    four_minutes_ago = int(time.time()) - 4 * 60
    await webhook.post(*signed(dm_message("U0ADA", "hi", "D0ADA"), SECRET, four_minutes_ago))
    assert len(webhook.received) == 1


async def test_retry_after_a_timeout_is_acknowledged_and_not_processed_again(webhook):
    payload = dm_message("U0ADA", "where is my order?", "D0ADA")
    await webhook.post(*signed(payload, SECRET))
    retry = await webhook.post(*signed(payload, SECRET, retry=(1, "http_timeout")))
    assert retry.status_code == 201
    assert retry.headers["X-Slack-No-Retry"] == "1"  # tells Slack to stop retrying
    assert len(webhook.received) == 1


@pytest.mark.parametrize(
    "payload",
    [bot_message("Hi Ada!", "D0ADA"), message_changed("U0ADA", "edited text", "D0ADA")],
    ids=["bot-message", "message-changed"],
)
async def test_bot_messages_and_edits_are_not_processed(webhook, payload):
    response = await webhook.post(*signed(payload, SECRET))
    assert response.status_code == 200
    assert webhook.received == []


# --- replies ----------------------------------------------------------------------------------


class RecordingWebClient:
    """Stands in for slack_sdk's client: records `chat.postMessage` calls."""

    def __init__(self) -> None:
        self.posts: List[Dict[str, Any]] = []

    async def chat_postMessage(self, **kwargs: Any) -> Dict[str, Any]:  # noqa: N802 - Slack's
        self.posts.append(kwargs)
        return {"ok": True}


@pytest.mark.parametrize(
    "slack_channel, expected",
    [("D0ADA", "D0ADA"), (None, "U0ADA")],
    ids=["to-the-channel-of-the-message", "to-the-user-without-one"],
)
async def test_reply_goes_to_slacks_id_never_to_our_sender_id(slack_channel, expected):
    bot = EnvironmentSlackBot(TOKEN, slack_channel, api_url=FAKE_API)
    bot.client = RecordingWebClient()
    await bot.send_text_message("slack:U0ADA", "Hi Ada!\n\nHow can I help?")
    assert [post["channel"] for post in bot.client.posts] == [expected, expected]
    assert [post["text"] for post in bot.client.posts] == ["Hi Ada!", "How can I help?"]


def test_web_api_url_defaults_to_slack(monkeypatch):
    monkeypatch.setenv("SLACK_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.delenv("SLACK_API_URL", raising=False)
    channel = EnvironmentSlackInput.from_credentials({})
    assert channel.get_output_channel("D0ADA").client.base_url == "https://slack.com/api/"


@pytest.mark.parametrize(
    "granularity, sender_id",
    [
        ("sender", "slack:U0ADA"),
        ("channel", "slack:U0ADA_C0SUPPORT"),
    ],
)
def test_every_conversation_granularity_is_in_the_slack_namespace(granularity, sender_id):
    channel = EnvironmentSlackInput(TOKEN, slack_signing_secret=SECRET)
    channel.conversation_granularity = granularity
    assert channel._get_conversation_id("U0ADA", "C0SUPPORT", "1700.1") == sender_id
    assert slack_user_from_sender(sender_id) == "U0ADA"


async def test_unconfigured_webhook_answers_503_with_what_to_set(monkeypatch):
    monkeypatch.delenv("SLACK_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    app = Sanic(f"slack_off_test_{uuid.uuid4().hex}")
    channel = EnvironmentSlackInput.from_credentials({})
    app.blueprint(channel.blueprint(lambda message: None), url_prefix="/webhooks/slack")
    monkeypatch.setattr(Sanic, "test_mode", True)
    await app._startup()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://rasa") as client:
        response = await client.post("/webhooks/slack/webhook", json={})
    assert response.status_code == 503
    assert "SLACK_TOKEN" in response.json()["error"]
