"""Base for actions that read or change customer data through the customer data service.

It owns the two things every such action must get right: the blocking HTTP client never runs on
the action server's event loop, and a failing service turns into a polite answer with the offer
of a human, never an exception, a stack trace or silence.
"""

import asyncio
import logging
from abc import ABC, abstractmethod
from functools import partial
from typing import Any, Callable, Dict, List, Optional, TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import CustomerDataClient, CustomerDataError, shared_customer_data_client

logger = logging.getLogger(__name__)

UTTER_SERVICE_UNAVAILABLE = "utter_service_unavailable"
CUSTOMER_ID_SLOT = "customer_id"
Result = TypeVar("Result")

# Tests replace the client here; production builds the shared HTTP client on first use.
_client_override: Optional[CustomerDataClient] = None


def use_client(client: Optional[CustomerDataClient]) -> None:
    """Makes every customer data action use `client` (None: back to the shared HTTP client)."""
    global _client_override
    _client_override = client


def customer_data_client() -> CustomerDataClient:
    """The client actions use: the override if set, else the process-wide HTTP client."""
    return _client_override or shared_customer_data_client()


class CustomerDataAction(Action, ABC):
    """An action whose `act` calls the customer data service; failures answer politely."""

    @abstractmethod
    def name(self) -> str:
        """The action's name in `domain.yml`."""

    @abstractmethod
    async def act(
        self,
        client: CustomerDataClient,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        """Does the action's work; may raise `CustomerDataError`."""

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        """Runs `act`, turning any customer data error into the service-unavailable answer."""
        try:
            return await self.act(customer_data_client(), dispatcher, tracker, domain)
        except CustomerDataError as error:
            logger.warning("%s: customer data service failed: %r", self.name(), error)
            dispatcher.utter_message(response=UTTER_SERVICE_UNAVAILABLE)
            return self.events_when_unavailable(tracker)

    def events_when_unavailable(self, tracker: Tracker) -> List[EventType]:
        """Events to return when the service failed (default: none)."""
        return []

    @staticmethod
    async def call(function: Callable[..., Result], *args: Any, **kwargs: Any) -> Result:
        """Runs a blocking client call in a worker thread, keeping the event loop free."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, partial(function, *args, **kwargs))
