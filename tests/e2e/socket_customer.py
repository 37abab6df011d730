"""A customer on the web widget's channel: a socket.io client speaking rasa-webchat's protocol."""

import asyncio
import uuid
from typing import Any, Dict, List, Optional

import socketio

WAIT_SECONDS = 20


class SocketCustomer:
    """Connects like the widget (session_request, then user_uttered with customData)."""

    def __init__(self, rasa_url: str, token: Optional[str] = None) -> None:
        self.rasa_url = rasa_url
        self.token = token
        self.session_id = uuid.uuid4().hex
        self.received: List[Dict[str, Any]] = []
        self._arrived = asyncio.Event()
        self.client = socketio.AsyncClient(reconnection=False)
        self.client.on("bot_uttered", self._on_bot_uttered)

    async def _on_bot_uttered(self, message: Dict[str, Any]) -> None:
        self.received.append(message)
        self._arrived.set()

    async def connect(self) -> None:
        confirmed = asyncio.Event()
        self.client.on("session_confirm", lambda *_: confirmed.set())
        await self.client.connect(self.rasa_url, transports=["polling"], wait_timeout=10)
        await self.client.emit("session_request", {"session_id": self.session_id})
        await asyncio.wait_for(confirmed.wait(), WAIT_SECONDS)

    async def say(self, text: str) -> None:
        """Sends a message (or a button's payload), with the token as the widget does."""
        body: Dict[str, Any] = {"message": text, "session_id": self.session_id}
        if self.token:
            body["customData"] = {"customer_token": self.token}
        await self.client.emit("user_uttered", body)

    async def wait_for(self, predicate, timeout: float = WAIT_SECONDS) -> Dict[str, Any]:
        """The first received message (old or new) for which `predicate` is true."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for message in self.received:
                if predicate(message):
                    return message
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                texts = [m.get("text") for m in self.received]
                raise AssertionError(f"no matching message within {timeout} s; got {texts}")
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    async def wait_for_text(self, fragment: str) -> Dict[str, Any]:
        """The first message whose text contains `fragment`."""
        return await self.wait_for(lambda m: fragment in (m.get("text") or ""))

    async def close(self) -> None:
        await self.client.disconnect()
