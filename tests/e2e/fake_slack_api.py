"""A stand-in for Slack's Web API on loopback: records what the assistant posts to Slack.

Rasa's Slack output posts replies with `chat.postMessage` to `SLACK_API_URL`; the end-to-end
tests point that here, so no test ever reaches slack.com.
"""

import time
from typing import Any, Dict, List, Mapping

from tests.loopback_server import LoopbackJsonServer

SLACK_BOT_TOKEN = "xoxb-e2e-slack-bot-token"  # noqa: S105
SLACK_SIGNING_SECRET = "e2e-slack-signing-secret"  # noqa: S105
POST_MESSAGE = "chat.postMessage"
WAIT_TIMEOUT_S = 60  # Rasa answers Slack in the background: how long to wait for replies
POLL_INTERVAL_S = 0.2


class FakeSlackApi:
    """Answers `chat.postMessage` like Slack (`{"ok": true}`) and keeps every call.

    Attributes:
        posts: every call's JSON body plus the `Authorization` header it came with.

    """

    def __init__(self) -> None:
        self.posts: List[Dict[str, Any]] = []
        self._server = LoopbackJsonServer(self._respond)
        self.port = self._server.port

    def _respond(self, path: str, body: Any, headers: Mapping[str, str]):
        if not path.endswith("/" + POST_MESSAGE):
            return 200, {"ok": False, "error": "unknown_method"}
        body = body or {}
        self.posts.append({**body, "authorization": headers.get("Authorization")})
        return 200, {"ok": True, "channel": body.get("channel"), "ts": f"{time.time()}"}

    def stop(self) -> None:
        """Stops the server."""
        self._server.stop()

    @property
    def url(self) -> str:
        """The base URL for `SLACK_API_URL`."""
        return f"http://127.0.0.1:{self.port}/api/"

    def texts_in(self, channel: str) -> List[str]:
        """The texts posted so far to one Slack channel (or user id)."""
        return [post.get("text") or "" for post in self.posts if post.get("channel") == channel]

    def wait_for_texts(self, channel: str, count: int) -> List[str]:
        """Waits until `count` texts were posted to `channel` and returns them all.

        Raises:
            AssertionError: when fewer arrived within `WAIT_TIMEOUT_S` (a failing test).
        """
        deadline = time.monotonic() + WAIT_TIMEOUT_S
        while time.monotonic() < deadline:
            texts = self.texts_in(channel)
            if len(texts) >= count:
                return texts
            time.sleep(POLL_INTERVAL_S)
        raise AssertionError(
            f"expected {count} Slack posts to {channel}, got {self.texts_in(channel)}"
        )
