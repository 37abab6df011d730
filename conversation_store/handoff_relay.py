"""Relays what a customer writes while their conversation is with a human agent.

While a conversation is paused (`ConversationPaused`, set by `action_handoff`), Rasa stores the
customer's messages but runs no action, so nothing else would tell the agent. The tracker store
sees every new event of every channel, so it hands those messages to this relay, which posts
them to the handoff in the customer data service on a background thread: a slow or failing data
service never delays the conversation, and the message stays in the tracker either way.
"""

import logging
import os
from abc import ABC, abstractmethod
from concurrent.futures import ThreadPoolExecutor
from typing import Mapping, Optional

import requests

logger = logging.getLogger(__name__)

URL_ENV = "CUSTOMER_DATA_URL"
TOKEN_ENV = "CUSTOMER_DATA_TOKEN"  # noqa: S105 - the variable's name, not a secret
CUSTOMER_MESSAGES_PATH = "/api/handoffs/customer-messages"
TIMEOUT_SECONDS = (1.0, 3.0)


class HandoffRelay(ABC):
    """Passes a paused conversation's new customer message to its handoff."""

    @abstractmethod
    def forward(self, conversation_id: str, text: str) -> None:
        """Sends (or queues) one message; never raises."""


class NoHandoffRelay(HandoffRelay):
    """Used when no customer data service is configured: the messages stay in the tracker."""

    def forward(self, conversation_id: str, text: str) -> None:
        logger.debug("No handoff relay configured; message kept in the tracker only.")


class HttpHandoffRelay(HandoffRelay):
    """Posts to the data service on one worker thread, so messages keep their order."""

    def __init__(self, base_url: str, token: str) -> None:
        """`base_url` of the customer data service and its bearer token."""
        self._url = base_url.rstrip("/") + CUSTOMER_MESSAGES_PATH
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="handoff-relay")

    def forward(self, conversation_id: str, text: str) -> None:
        self._worker.submit(self._post, conversation_id, text)

    def _post(self, conversation_id: str, text: str) -> bool:
        body = {"conversation_id": conversation_id, "text": text}
        try:
            response = self._session.post(self._url, json=body, timeout=TIMEOUT_SECONDS)
        except requests.RequestException as error:
            logger.warning("Could not relay a message to its handoff: %s", error)
            return False
        if response.status_code == 404:
            logger.info("A paused conversation has no open handoff; message not relayed.")
        elif not response.ok:
            logger.warning("The handoff refused a relayed message: %s", response.status_code)
        return response.ok

    def drain(self) -> None:
        """Waits until every queued message was sent (tests, shutdown)."""
        self._worker.submit(lambda: None).result()


def relay_from_env(environ: Optional[Mapping[str, str]] = None) -> HandoffRelay:
    """The HTTP relay when the data service URL and token are set, else `NoHandoffRelay`."""
    env = os.environ if environ is None else environ
    url, token = env.get(URL_ENV, "").strip(), env.get(TOKEN_ENV, "").strip()
    if url and token:
        return HttpHandoffRelay(url, token)
    return NoHandoffRelay()
