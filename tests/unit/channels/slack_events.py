"""Slack Events API requests as Slack sends them: JSON envelopes and signed headers.

Shapes follow https://api.slack.com/apis/events-api (`event_callback`, `url_verification`) and
https://api.slack.com/authentication/verifying-requests-from-slack (the `v0` signature).
Shared by the unit tests of the channel and the end-to-end tests.
"""

import hashlib
import hmac
import json
import time
import uuid
from typing import Any, Dict, Optional, Tuple

BOT_USER = "U0BOT"  # the app's bot user, as Slack lists it in `authorizations`
TEAM = "T0SHOP"
JSON_CONTENT_TYPE = "application/json"


def envelope(event: Dict[str, Any]) -> Dict[str, Any]:
    """An `event_callback` around `event`, with the fields Slack sends along."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "api_app_id": "A0SHOP",
        "event": event,
        "type": "event_callback",
        "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": TEAM, "user_id": BOT_USER, "is_bot": True, "is_enterprise_install": False}
        ],
        "is_ext_shared_channel": False,
    }


def _ts() -> str:
    return f"{time.time():.6f}"


def dm_message(user: str, text: str, channel: str) -> Dict[str, Any]:
    """A user's message in their direct-message channel with the app (`message.im`)."""
    return envelope(
        {
            "type": "message",
            "user": user,
            "text": text,
            "ts": _ts(),
            "team": TEAM,
            "channel": channel,
            "event_ts": _ts(),
            "channel_type": "im",
            "client_msg_id": str(uuid.uuid4()),
        }
    )


def channel_message(user: str, text: str, channel: str) -> Dict[str, Any]:
    """A message in a public channel the app is in (`message.channels`), not addressed to it."""
    event = dm_message(user, text, channel)["event"]
    return envelope({**event, "channel_type": "channel"})


def app_mention(user: str, text: str, channel: str) -> Dict[str, Any]:
    """`@app text` in a public channel (`app_mention`)."""
    return envelope(
        {
            "type": "app_mention",
            "user": user,
            "text": f"<@{BOT_USER}> {text}",
            "ts": _ts(),
            "team": TEAM,
            "channel": channel,
            "event_ts": _ts(),
            "client_msg_id": str(uuid.uuid4()),
        }
    )


def bot_message(text: str, channel: str) -> Dict[str, Any]:
    """The app's own reply, echoed back by Slack to a `message.im` subscription."""
    return envelope(
        {
            "type": "message",
            "subtype": "bot_message",
            "bot_id": "B0SHOP",
            "user": BOT_USER,
            "text": text,
            "ts": _ts(),
            "channel": channel,
            "event_ts": _ts(),
            "channel_type": "im",
        }
    )


def message_changed(user: str, text: str, channel: str) -> Dict[str, Any]:
    """A user editing an earlier message: the new text is nested, the event has no user."""
    return envelope(
        {
            "type": "message",
            "subtype": "message_changed",
            "hidden": True,
            "message": {"type": "message", "user": user, "text": text, "ts": _ts()},
            "previous_message": {"type": "message", "user": user, "text": "old", "ts": _ts()},
            "channel": channel,
            "ts": _ts(),
            "event_ts": _ts(),
            "channel_type": "im",
        }
    )


def url_verification(challenge: str) -> Dict[str, Any]:
    """What Slack sends once when the Request URL is saved in the app's settings."""
    return {
        "token": "legacy-verification-token",
        "challenge": challenge,
        "type": "url_verification",
    }


def signed(
    payload: Dict[str, Any],
    secret: str,
    timestamp: Optional[int] = None,
    retry: Optional[Tuple[int, str]] = None,
) -> Tuple[bytes, Dict[str, str]]:
    """The raw body and the headers Slack sends it with, signed with `secret`.

    Args:
        payload: the JSON body.
        secret: the app's signing secret (pass another to forge a signature).
        timestamp: the request timestamp (Unix seconds); now by default.
        retry: (attempt number, reason) for Slack's retry headers.

    Returns:
        The exact bytes to post and their headers.
    """
    body = json.dumps(payload).encode("utf-8")
    timestamp = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{timestamp}:".encode() + body
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": JSON_CONTENT_TYPE,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature,
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    }
    if retry is not None:
        headers["X-Slack-Retry-Num"] = str(retry[0])
        headers["X-Slack-Retry-Reason"] = retry[1]
    return body, headers
