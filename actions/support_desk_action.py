"""Base for actions that use the support desk (handoffs, ratings) of the customer data service.

Like `CustomerDataAction`: the blocking client runs off the event loop and a failing service
becomes a polite answer (`answer_when_unavailable`), never an exception or silence.
"""

import logging
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import CustomerDataError, SupportDeskClient, shared_support_desk_client
from actions.customer_data_action import CustomerDataAction

logger = logging.getLogger(__name__)

_desk_override: Optional[SupportDeskClient] = None


def use_support_desk(client: Optional[SupportDeskClient]) -> None:
    """Makes every support desk action use `client` (None: back to the shared HTTP client)."""
    global _desk_override
    _desk_override = client


def support_desk_client() -> SupportDeskClient:
    """The override if set, else the process-wide HTTP client."""
    return _desk_override or shared_support_desk_client()


class SupportDeskAction(Action, ABC):
    """An action whose `act` calls the support desk; failures go to `answer_when_unavailable`."""

    call = staticmethod(CustomerDataAction.call)

    @abstractmethod
    def name(self) -> str:
        """The action's name in `domain.yml`."""

    @abstractmethod
    async def act(
        self,
        desk: SupportDeskClient,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        """Does the action's work; may raise `CustomerDataError`."""

    @abstractmethod
    def answer_when_unavailable(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        """What the customer gets when the support desk cannot be reached."""

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        """Runs `act`; a support desk failure gets `answer_when_unavailable`."""
        try:
            return await self.act(support_desk_client(), dispatcher, tracker, domain)
        except CustomerDataError as error:
            logger.warning("%s: support desk failed: %r", self.name(), error)
            return self.answer_when_unavailable(dispatcher, tracker)
