"""Base for forms whose questions only a verified customer is asked ("delete your account?").

For anyone else the form has no slots to fill, so it completes at once and the flow's final
action (a `PersonalDataAction`) gives the general answer and offers verification.
"""

from abc import ABC, abstractmethod
from typing import List

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.customer_data_action import customer_data_client
from actions.session import current_customer_id, ensure_customer
from actions.slots import REQUESTED_SLOT


class PersonalFormValidationAction(FormValidationAction, ABC):
    """Validates a form that asks verified customers only."""

    @abstractmethod
    def name(self) -> str:
        """The `validate_<form>` name; abstract so the SDK doesn't register this base class."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Identifies the customer from the current message first (see `actions.session`)."""
        _, identity = await ensure_customer(customer_data_client(), tracker)
        prepared = await self.prepare(tracker) if tracker.get_slot(REQUESTED_SLOT) is None else []
        tracker.add_slots(prepared)
        return identity + prepared + await super().run(dispatcher, tracker, domain)

    async def prepare(self, tracker: Tracker) -> List[EventType]:
        """Slot events for when the form starts (nothing asked yet); default none."""
        return []

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        """The form's slots for a verified customer, none for anyone else."""
        return domain_slots if current_customer_id(tracker) is not None else []
