"""Newsletter consent on live data: show whether the customer is subscribed, offer the opposite.

`newsletter_form` reads the current consent when it starts (`newsletter_subscribed` selects the
question's wording: "unsubscribe?" or "subscribe?"), asks a verified customer yes or no, and
`action_update_newsletter` records the decision as consent with source "chat".
"""

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clients import CustomerDataClient, CustomerDataError
from actions.customer_data_action import CustomerDataAction, customer_data_client
from actions.personal_data_action import PersonalDataAction
from actions.personal_form_validation import PersonalFormValidationAction
from actions.session import current_customer_id

NEWSLETTER_SUBSCRIBED = "newsletter_subscribed"
NEWSLETTER_CHANGE_CONFIRMED = "newsletter_change_confirmed"
NEWSLETTER_FORM = "newsletter_form"
NEWSLETTER_PURPOSE = "newsletter"  # in customer_data.models.CONSENT_PURPOSES
CONSENT_SOURCE = "chat"

UTTER_NEWSLETTER_SUBSCRIPTION = "utter_newsletter_subscription"
UTTER_NEWSLETTER_SUBSCRIBED = "utter_newsletter_subscribed"
UTTER_NEWSLETTER_UNSUBSCRIBED = "utter_newsletter_unsubscribed"
UTTER_NEWSLETTER_UNCHANGED = "utter_newsletter_unchanged"
UTTER_NEWSLETTER_STATUS_SUBSCRIBED = "utter_newsletter_status_subscribed"
UTTER_NEWSLETTER_STATUS_NOT_SUBSCRIBED = "utter_newsletter_status_not_subscribed"

NEWSLETTER_SLOTS = (NEWSLETTER_SUBSCRIBED, NEWSLETTER_CHANGE_CONFIRMED)
CLEAR_NEWSLETTER = [SlotSet(slot, None) for slot in NEWSLETTER_SLOTS]


async def newsletter_consent(client: CustomerDataClient, customer_id: str) -> bool:
    """Whether the customer currently receives the newsletter (never decided: no)."""
    profile = await CustomerDataAction.call(client.get_profile, customer_id)
    return profile.consents.get(NEWSLETTER_PURPOSE, False)


class ValidateNewsletterForm(PersonalFormValidationAction):
    """Reads the current consent when the form starts; without it there is nothing to ask."""

    def name(self) -> str:
        return "validate_newsletter_form"

    async def prepare(self, tracker: Tracker) -> List[EventType]:
        """`newsletter_subscribed` for a verified customer (None if it can't be read now)."""
        customer_id = current_customer_id(tracker)
        if customer_id is None:
            return []
        subscribed: Optional[bool]
        try:
            subscribed = await newsletter_consent(customer_data_client(), customer_id)
        except CustomerDataError:
            subscribed = None  # the final action tries again and apologises if it must
        return [SlotSet(NEWSLETTER_SUBSCRIBED, subscribed)]

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        """The yes/no question, once the current consent is known."""
        if tracker.get_slot(NEWSLETTER_SUBSCRIBED) is None:
            return []
        return await super().required_slots(domain_slots, dispatcher, tracker, domain)


class ActionUpdateNewsletter(PersonalDataAction):
    """Subscribes or unsubscribes after a yes; otherwise says how things stand."""

    resume_form = NEWSLETTER_FORM  # after verification it reads the consent and asks

    def name(self) -> str:
        return "action_update_newsletter"

    # Anonymous visitors: where to change mailing preferences.
    anonymous_response = UTTER_NEWSLETTER_SUBSCRIPTION
    anonymous_slot_resets = NEWSLETTER_SLOTS

    async def answer_customer(
        self,
        client: CustomerDataClient,
        customer_id: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        confirmed = tracker.get_slot(NEWSLETTER_CHANGE_CONFIRMED)
        subscribed = tracker.get_slot(NEWSLETTER_SUBSCRIBED)
        if confirmed is None or subscribed is None:
            subscribed = await newsletter_consent(client, customer_id)
            dispatcher.utter_message(
                response=UTTER_NEWSLETTER_STATUS_SUBSCRIBED
                if subscribed
                else UTTER_NEWSLETTER_STATUS_NOT_SUBSCRIBED
            )
        elif confirmed is False:
            dispatcher.utter_message(response=UTTER_NEWSLETTER_UNCHANGED)
        else:
            consent = await self.call(
                client.set_consent, customer_id, NEWSLETTER_PURPOSE, not subscribed, CONSENT_SOURCE
            )
            dispatcher.utter_message(
                response=UTTER_NEWSLETTER_SUBSCRIBED
                if consent.granted
                else UTTER_NEWSLETTER_UNSUBSCRIBED
            )
        return list(CLEAR_NEWSLETTER)

    def events_when_unavailable(self, tracker: Tracker) -> List[EventType]:
        """The next request reads the consent afresh."""
        return list(CLEAR_NEWSLETTER)
