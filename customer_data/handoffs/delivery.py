"""Delivering into a customer's conversation: agent replies and the end of a handoff.

The assistant's Rasa server owns the conversation and its channel (web widget, Slack, ...), so the
data service never talks to a channel itself: it asks Rasa's HTTP API to add the agent's message
as a bot utterance on the conversation's latest channel, or to run the action that resumes the
assistant. `RecordingDelivery` is the in-memory implementation for tests and for running the
service without an assistant.
"""

import logging
from abc import ABC, abstractmethod
from typing import List, Optional, Tuple
from urllib.parse import quote

import requests

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = (2.0, 10.0)  # connect, read: Rasa runs the action within the read timeout
LATEST_CHANNEL = {"output_channel": "latest"}
# Actions of the assistant that end a handoff (actions/handoff.py defines them).
ACTION_HANDOFF_CLOSED = "action_handoff_closed"
ACTION_HANDOFF_RETURNED = "action_handoff_returned"
AGENT_METADATA_KEY = "handoff_agent"


class ConversationDelivery(ABC):
    """Sends into a customer's conversation; every method says whether it was accepted."""

    @abstractmethod
    def send_agent_message(self, conversation_id: str, agent: str, text: str) -> bool:
        """Shows `text` from `agent` to the customer on the conversation's channel."""

    @abstractmethod
    def run_action(self, conversation_id: str, action: str) -> bool:
        """Runs one of the assistant's actions in the conversation (e.g. to resume it)."""


class RasaConversationDelivery(ConversationDelivery):
    """Rasa's HTTP API (`rasa run --enable-api --auth-token ...`)."""

    def __init__(self, base_url: str, token: Optional[str]) -> None:
        """`base_url` of the Rasa server; `token` is its `--auth-token`, if any."""
        self._base_url = base_url.rstrip("/")
        self._session = requests.Session()
        self._params = {"token": token} if token else {}

    def _post(self, conversation_id: str, path: str, body: object) -> bool:
        url = f"{self._base_url}/conversations/{quote(conversation_id, safe='')}/{path}"
        try:
            response = self._session.post(
                url,
                json=body,
                params={**self._params, **LATEST_CHANNEL, "execute_side_effects": "true"},
                timeout=TIMEOUT_SECONDS,
            )
        except requests.RequestException as error:
            logger.warning("Could not reach the assistant at %s: %s", self._base_url, error)
            return False
        if not response.ok:
            logger.warning(
                "The assistant refused %s for a conversation: %s %s",
                path,
                response.status_code,
                response.text[:200],
            )
        return response.ok

    def send_agent_message(self, conversation_id: str, agent: str, text: str) -> bool:
        event = {"event": "bot", "text": text, "metadata": {AGENT_METADATA_KEY: agent}}
        return self._post(conversation_id, "tracker/events", [event])

    def run_action(self, conversation_id: str, action: str) -> bool:
        return self._post(conversation_id, "execute", {"name": action})


class RecordingDelivery(ConversationDelivery):
    """Keeps what would have been sent; `accepting=False` simulates an unreachable assistant."""

    def __init__(self, accepting: bool = True) -> None:
        """Starts empty."""
        self.accepting = accepting
        self.messages: List[Tuple[str, str, str]] = []  # (conversation, agent, text)
        self.actions: List[Tuple[str, str]] = []  # (conversation, action)

    def send_agent_message(self, conversation_id: str, agent: str, text: str) -> bool:
        if self.accepting:
            self.messages.append((conversation_id, agent, text))
        return self.accepting

    def run_action(self, conversation_id: str, action: str) -> bool:
        if self.accepting:
            self.actions.append((conversation_id, action))
        return self.accepting
