"""Slack input channel that reads its secrets from the environment and is off when they are unset.

`credentials.yml` can't give `${VAR}` a default, and a committed token would leak. This connector
is listed once in `credentials.yml`; with `SLACK_TOKEN` and `SLACK_SIGNING_SECRET` set it is Rasa's
`SlackInput`, without them the webhook answers 503 with what to configure.

On top of Rasa's channel: conversations are keyed `slack:<user>` and every message carries a proof
that Slack signed it (see `channels.slack_sender`), and replies go to `SLACK_API_URL` (Slack's Web
API by default; a fake on loopback in the tests) with a timeout.
"""

import logging
import os
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from channels.slack_sender import (
    SENDER_PROOF_KEY,
    SLACK_SIGNING_SECRET_ENV,
    sender_id_for,
    sender_proof,
    slack_user_from_sender,
)

logger = logging.getLogger(__name__)

SLACK_TOKEN_ENV = "SLACK_TOKEN"  # noqa: S105 (a variable name)
SLACK_CHANNEL_ENV = "SLACK_CHANNEL"
SLACK_API_URL_ENV = "SLACK_API_URL"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
SLACK_API_TIMEOUT_S = 10  # per Web API call; slack_sdk's default is 30
NOT_CONFIGURED_MESSAGE = (
    f"Slack is not configured on this server: set {SLACK_TOKEN_ENV} and "
    f"{SLACK_SIGNING_SECRET_ENV} and restart."
)


def slack_settings_from_env() -> Optional[Dict[str, Any]]:
    """Slack credentials from the environment, or None when Slack is not configured."""
    token = os.environ.get(SLACK_TOKEN_ENV, "").strip()
    secret = os.environ.get(SLACK_SIGNING_SECRET_ENV, "").strip()
    if not token or not secret:
        return None
    return {
        "slack_token": token,
        "slack_signing_secret": secret,
        "slack_channel": os.environ.get(SLACK_CHANNEL_ENV, "").strip() or None,
        "slack_api_url": os.environ.get(SLACK_API_URL_ENV, "").strip() or DEFAULT_SLACK_API_URL,
    }


class DisabledSlackInput(InputChannel):
    """Keeps the Slack webhook path and answers 503 with the missing configuration."""

    @classmethod
    def name(cls) -> str:
        """Same name as Slack, so the URL is the one Slack would be configured with."""
        return SlackInput.name()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """A webhook that refuses every request with a clear reason."""
        slack_webhook = Blueprint("slack_disabled_webhook", __name__)

        @slack_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "disabled", "message": NOT_CONFIGURED_MESSAGE})

        @slack_webhook.route("/webhook", methods=["POST"])
        async def webhook(_: Request) -> HTTPResponse:
            return response.json({"error": NOT_CONFIGURED_MESSAGE}, status=503)

        return slack_webhook


class EnvironmentSlackBot(SlackBot):
    """Rasa's Slack output, posting to a configurable Web API URL with a timeout."""

    def __init__(
        self,
        token: str,
        slack_channel: Optional[str] = None,
        thread_id: Optional[str] = None,
        proxy: Optional[str] = None,
        api_url: str = DEFAULT_SLACK_API_URL,
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(
            token, base_url=api_url, timeout=SLACK_API_TIMEOUT_S, proxy=proxy
        )

    async def _post_message(self, channel: str, **kwargs: Any) -> None:
        # Without a Slack channel to answer in, Rasa posts to the recipient id, which is our
        # `slack:<user>` sender id; Slack knows the user as `<user>` (their DM with the app).
        await super()._post_message(slack_user_from_sender(channel) or channel, **kwargs)


class EnvironmentSlackInput(SlackInput):
    """Rasa's Slack channel with credentials taken from environment variables.

    Attributes:
        api_url: the Slack Web API base URL replies are posted to.

    """

    api_url: str = DEFAULT_SLACK_API_URL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        """Builds Slack from the environment (`credentials.yml` may add non-secret options)."""
        settings = slack_settings_from_env()
        if settings is None:
            logger.info(NOT_CONFIGURED_MESSAGE)
            return DisabledSlackInput()
        api_url = settings.pop("slack_api_url")
        channel = super().from_credentials({**(credentials or {}), **settings})
        channel.api_url = api_url  # Rasa's constructor has no parameter for it
        return channel

    def _get_conversation_id(
        self, sender_id: Optional[str], channel_id: Optional[str], thread_id: Optional[str]
    ) -> Optional[str]:
        """Rasa's conversation id in the `slack:` namespace, out of reach of other channels."""
        conversation_id = super()._get_conversation_id(sender_id, channel_id, thread_id)
        return sender_id_for(conversation_id) if conversation_id else conversation_id

    async def process_message(
        self,
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: str,
        sender_id: Optional[str],
        metadata: Optional[Dict],
    ) -> Any:
        """Rasa's handling (retries included), with the proof that Slack signed this message.

        Rasa only calls this after checking Slack's request signature and timestamp.
        """
        if sender_id and metadata is not None:
            proof = sender_proof(self.slack_signing_secret, sender_id)
            metadata = {**metadata, SENDER_PROOF_KEY: proof}
        return await super().process_message(request, on_new_message, text, sender_id, metadata)

    def get_output_channel(
        self, channel: Optional[str] = None, thread_id: Optional[str] = None
    ) -> OutputChannel:
        """Replies go to the Slack channel the message came from, through `api_url`."""
        return EnvironmentSlackBot(
            self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_url
        )
