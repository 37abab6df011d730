"""Slack input channel that reads its secrets from the environment and is off when they are unset.

`credentials.yml` can't give `${VAR}` a default, and a committed token would leak. This connector
is listed once in `credentials.yml`; with `SLACK_TOKEN` and `SLACK_SIGNING_SECRET` set it is Rasa's
`SlackInput`, without them the webhook answers 503 with what to configure.
"""

import logging
import os
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.slack import SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

SLACK_TOKEN_ENV = "SLACK_TOKEN"  # noqa: S105 (a variable name)
SLACK_SIGNING_SECRET_ENV = "SLACK_SIGNING_SECRET"  # noqa: S105
SLACK_CHANNEL_ENV = "SLACK_CHANNEL"
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


class EnvironmentSlackInput(SlackInput):
    """Rasa's Slack channel with credentials taken from environment variables."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        """Builds Slack from the environment (`credentials.yml` may add non-secret options)."""
        settings = slack_settings_from_env()
        if settings is None:
            logger.info(NOT_CONFIGURED_MESSAGE)
            return DisabledSlackInput()
        return super().from_credentials({**(credentials or {}), **settings})
