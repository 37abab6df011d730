"""A stand-in for Slack's Web API on loopback: records what the assistant posts to Slack.

Rasa's Slack output posts replies with `chat.postMessage` to `SLACK_API_URL`; the end-to-end
tests point that here, so no test ever reaches slack.com.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Dict, List

from tests.ports import free_port

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
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path.endswith("/" + POST_MESSAGE):
                    api.posts.append({**body, "authorization": self.headers.get("Authorization")})
                    answer = {"ok": True, "channel": body.get("channel"), "ts": f"{time.time()}"}
                else:
                    answer = {"ok": False, "error": "unknown_method"}
                payload = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.port = free_port()
        self._server = HTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

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

    def stop(self) -> None:
        self._server.shutdown()
