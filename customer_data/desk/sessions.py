"""Desk sessions: who is logged in, in a signed cookie (HMAC-SHA256), no server-side state.

The cookie holds `<agent>.<expiry>.<signature>` (agent names are `[A-Za-z0-9_-]`), is HttpOnly and
SameSite=Strict (so another site can't make the browser post to the desk with it), and is only
sent under `/desk`.
"""

import base64
import hashlib
import hmac
import secrets
import time
from typing import Optional

from customer_data.desk.passwords import AGENT_NAME

COOKIE_NAME = "desk_session"
COOKIE_PATH = "/desk"


class SessionSigner:
    """Issues and checks session cookie values for agents."""

    def __init__(self, secret: str, lifetime_seconds: int) -> None:
        """`secret` signs the cookies; empty means a random one (sessions end on restart)."""
        self._key = (secret or secrets.token_urlsafe(32)).encode()
        self.lifetime_seconds = lifetime_seconds

    def _signature(self, payload: str) -> str:
        digest = hmac.new(self._key, payload.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def issue(self, agent: str, now: Optional[float] = None) -> str:
        """A cookie value naming `agent`, valid for the session lifetime."""
        if not AGENT_NAME.match(agent):
            raise ValueError(f"agent names are letters, digits, '_' and '-': {agent!r}")
        expires = int((now or time.time()) + self.lifetime_seconds)
        payload = f"{agent}.{expires}"
        return f"{payload}.{self._signature(payload)}"

    def agent(self, value: Optional[str], now: Optional[float] = None) -> Optional[str]:
        """The agent a cookie value names, or None if it is missing, forged or expired."""
        parts = (value or "").split(".")
        if len(parts) != 3 or not parts[1].isdigit():
            return None
        agent, expires, signature = parts
        if not hmac.compare_digest(signature, self._signature(f"{agent}.{expires}")):
            return None
        if int(expires) < (now or time.time()):
            return None
        return agent
