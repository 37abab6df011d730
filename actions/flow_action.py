"""The shape every data-backed flow action shares: answer for the order, then tidy up the slots."""

from abc import ABC, abstractmethod
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher


class FlowAction(Action, ABC):
    """Runs after a flow's form is complete.

    Subclasses name the response to send and the per-flow slots to clear, so the next flow starts
    clean while `order_id` is remembered ("and what about the invoice for it?").
    """

    # Slots that belong to one run of the flow and are cleared when it ends.
    slots_to_clear: List[str] = []

    @abstractmethod
    def name(self) -> str:
        """The action's name in `domain.yml`."""

    @abstractmethod
    def response_for(self, tracker: Tracker) -> str:
        """The response that answers this flow for the current conversation."""

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        """Sends the flow's answer and clears the flow's own slots."""
        dispatcher.utter_message(response=self.response_for(tracker))
        return [SlotSet(slot, None) for slot in self.slots_to_clear]
