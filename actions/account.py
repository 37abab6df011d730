"""Account flows on live data: change the e-mail address or phone number, delete the account.

Both change something for good, so both ask first: `edit_account_form` ("Change your e-mail to
...?") when the message names a new address or number, `delete_account_form` with the
consequences spelled out. The forms ask verified customers only; the final actions answer
everyone else generally.
"""

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clients import CustomerDataClient, InvalidRequest, NotFound, RuleViolation
from actions.personal_data_action import PersonalDataAction
from actions.personal_form_validation import PersonalFormValidationAction
from actions.session import anonymous_events
from actions.slots import EMAIL, ORDER_ID, PENDING_ACTION

PHONE_NUMBER = "phone_number"
CONTACT_CHANGE_CONFIRMED = "contact_change_confirmed"
DELETE_CONFIRMED = "delete_confirmed"
DELETE_ACCOUNT_FORM = "delete_account_form"
# Cleared once the account is gone, besides the identity: nothing of the customer stays.
FORGOTTEN_SLOTS = (PENDING_ACTION, ORDER_ID, EMAIL, PHONE_NUMBER, DELETE_CONFIRMED)
ERASURE_REASON = "customer asked in chat"
PHONE_FIELD = "phone"  # the API's name for the phone number in validation details

UTTER_EDIT_ACCOUNT = "utter_edit_account"
UTTER_EDIT_ACCOUNT_OPTIONS = "utter_edit_account_options"
UTTER_ASK_EMAIL_CHANGE = "utter_ask_email_change"
UTTER_ASK_PHONE_CHANGE = "utter_ask_phone_change"
UTTER_ASK_CONTACT_CHANGE = "utter_ask_contact_change"
UTTER_EMAIL_UPDATED = "utter_email_updated"
UTTER_PHONE_UPDATED = "utter_phone_updated"
UTTER_CONTACT_CHANGE_KEPT = "utter_contact_change_kept"
UTTER_EMAIL_TAKEN = "utter_email_taken"
UTTER_INVALID_NEW_EMAIL = "utter_invalid_new_email"
UTTER_INVALID_NEW_PHONE = "utter_invalid_new_phone"
UTTER_DELETE_ACCOUNT = "utter_delete_account"
UTTER_ACCOUNT_DELETED = "utter_account_deleted"
UTTER_ACCOUNT_KEPT = "utter_account_kept"

CONTACT_CHANGE_SLOTS = (EMAIL, PHONE_NUMBER, CONTACT_CHANGE_CONFIRMED)
CLEAR_CONTACT_CHANGE = [SlotSet(slot, None) for slot in CONTACT_CHANGE_SLOTS]


def _is_phone_error(error: InvalidRequest) -> bool:
    """Whether the service refused the phone number (else it was the e-mail address)."""
    return any(PHONE_FIELD in detail.get("loc", ()) for detail in error.details or [])


class ValidateEditAccountForm(PersonalFormValidationAction):
    """Asks to confirm a change only when the message names a new address or number."""

    def name(self) -> str:
        return "validate_edit_account_form"

    async def prepare(self, tracker: Tracker) -> List[EventType]:
        """Only what this message says counts: no address remembered from earlier turns."""
        events: List[EventType] = []
        for slot in (EMAIL, PHONE_NUMBER):
            value = next(tracker.get_latest_entity_values(slot), None)
            if value != tracker.get_slot(slot):
                events.append(SlotSet(slot, value))
        return events

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        """The confirmation, for a verified customer who named a new address or number."""
        if not (tracker.get_slot(EMAIL) or tracker.get_slot(PHONE_NUMBER)):
            return []
        return await super().required_slots(domain_slots, dispatcher, tracker, domain)


class ActionAskContactChangeConfirmed(Action):
    """Asks "Change your e-mail address to ...?" for whatever the customer named."""

    def name(self) -> str:
        return "action_ask_contact_change_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Asks about the e-mail address, the phone number or both."""
        email, phone = tracker.get_slot(EMAIL), tracker.get_slot(PHONE_NUMBER)
        if email and phone:
            response = UTTER_ASK_CONTACT_CHANGE
        else:
            response = UTTER_ASK_EMAIL_CHANGE if email else UTTER_ASK_PHONE_CHANGE
        dispatcher.utter_message(response=response, email=email, phone_number=phone)
        return []


class ActionUpdateContactDetails(PersonalDataAction):
    """Changes the e-mail address and/or phone number after a yes; says what can change.

    After in-chat verification this action itself runs again (not the form): the e-mail slot
    then holds the address used to verify, so the customer is told how to name the change.
    """

    resume_form = "action_update_contact_details"

    def name(self) -> str:
        return "action_update_contact_details"

    # Anonymous visitors: where details are changed; what was typed is not kept.
    anonymous_response = UTTER_EDIT_ACCOUNT
    anonymous_slot_resets = CONTACT_CHANGE_SLOTS

    async def answer_customer(
        self,
        client: CustomerDataClient,
        customer_id: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        confirmed = tracker.get_slot(CONTACT_CHANGE_CONFIRMED)
        email: Optional[str] = tracker.get_slot(EMAIL)
        phone: Optional[str] = tracker.get_slot(PHONE_NUMBER)
        if confirmed is None or not (email or phone):
            dispatcher.utter_message(response=UTTER_EDIT_ACCOUNT_OPTIONS)
            return list(CLEAR_CONTACT_CHANGE)
        if confirmed is False:
            dispatcher.utter_message(response=UTTER_CONTACT_CHANGE_KEPT)
            return list(CLEAR_CONTACT_CHANGE)
        try:
            result = await self.call(client.update_contact_details, customer_id, email, phone)
        except RuleViolation:
            dispatcher.utter_message(response=UTTER_EMAIL_TAKEN, email=email)
            return list(CLEAR_CONTACT_CHANGE)
        except InvalidRequest as error:
            if _is_phone_error(error):
                dispatcher.utter_message(response=UTTER_INVALID_NEW_PHONE, phone_number=phone)
            else:
                dispatcher.utter_message(response=UTTER_INVALID_NEW_EMAIL, email=email)
            return list(CLEAR_CONTACT_CHANGE)
        if email:
            dispatcher.utter_message(response=UTTER_EMAIL_UPDATED, email=result.email)
        if phone:
            dispatcher.utter_message(response=UTTER_PHONE_UPDATED, phone_number=result.phone)
        return list(CLEAR_CONTACT_CHANGE)

    def events_when_unavailable(self, tracker: Tracker) -> List[EventType]:
        """Typed contact details are not kept past this turn."""
        return list(CLEAR_CONTACT_CHANGE)


class ValidateDeleteAccountForm(PersonalFormValidationAction):
    """Asks a verified customer to confirm the deletion."""

    def name(self) -> str:
        return "validate_delete_account_form"


class ActionDeleteAccount(PersonalDataAction):
    """Erases the customer after an explicit yes, then forgets who they were."""

    resume_form = DELETE_ACCOUNT_FORM  # after verification the form asks for the yes

    def name(self) -> str:
        return "action_delete_account"

    # Anonymous visitors: how to delete the account in the shop.
    anonymous_response = UTTER_DELETE_ACCOUNT
    anonymous_slot_resets = (DELETE_CONFIRMED,)

    async def answer_customer(
        self,
        client: CustomerDataClient,
        customer_id: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        confirmed = tracker.get_slot(DELETE_CONFIRMED)
        if confirmed is not True:
            kept = UTTER_ACCOUNT_KEPT if confirmed is False else UTTER_DELETE_ACCOUNT
            dispatcher.utter_message(response=kept)
            return [SlotSet(DELETE_CONFIRMED, None)]
        try:
            await self.call(client.erase_customer, customer_id, ERASURE_REASON)
        except NotFound:
            pass  # already erased (e.g. a repeated request): the outcome is the same
        dispatcher.utter_message(response=UTTER_ACCOUNT_DELETED)
        return anonymous_events() + [SlotSet(slot, None) for slot in FORGOTTEN_SLOTS]

    def events_when_unavailable(self, tracker: Tracker) -> List[EventType]:
        """Nothing was deleted; a new request asks again."""
        return [SlotSet(DELETE_CONFIRMED, None)]
