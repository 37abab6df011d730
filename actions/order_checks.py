"""Checks a verified customer's order while a form is still running.

Each check returns the slot values for the form: the order number when the flow can go on,
`order_id: None` (the form asks again) when it isn't the customer's, or `requested_slot: None`
(the form ends; the flow action then says nothing more) when the shop's rules refuse the change
or the service is down. Refusals are explained here, with the service's own reason.
"""

import logging
from typing import Any, Dict

from rasa_sdk.executor import CollectingDispatcher

from actions.clients import CustomerDataError, NotFound
from actions.customer_data_action import (
    UTTER_SERVICE_UNAVAILABLE,
    CustomerDataAction,
    customer_data_client,
)
from actions.slots import (
    ORDER_ID,
    REQUESTED_SLOT,
    UTTER_CANNOT_CANCEL_ORDER,
    UTTER_CANNOT_CHANGE_ADDRESS,
    UTTER_ORDER_NOT_FOUND,
)
from customer_data import rules

logger = logging.getLogger(__name__)

SlotValues = Dict[str, Any]


def not_found(order_id: str, dispatcher: CollectingDispatcher) -> SlotValues:
    """Says the order isn't on the customer's account; the form asks for the number again."""
    dispatcher.utter_message(response=UTTER_ORDER_NOT_FOUND, order_id=order_id)
    return {ORDER_ID: None}


def stop_form(order_id: str) -> SlotValues:
    """Keeps the order number and ends the form (the reason was already given)."""
    return {ORDER_ID: order_id, REQUESTED_SLOT: None}


def unavailable(
    order_id: str, error: CustomerDataError, dispatcher: CollectingDispatcher
) -> SlotValues:
    """Says the records can't be reached and ends the form."""
    logger.warning("order check for a form failed: %r", error)
    dispatcher.utter_message(response=UTTER_SERVICE_UNAVAILABLE)
    return stop_form(order_id)


async def check_order_exists(
    customer_id: str, order_id: str, dispatcher: CollectingDispatcher
) -> SlotValues:
    """The order must be the customer's; an outage is left to the flow action to report."""
    client = customer_data_client()
    try:
        order = await CustomerDataAction.call(client.get_order, customer_id, order_id)
    except CustomerDataError as error:
        logger.info("order check skipped, the flow action will report it: %r", error)
        return {ORDER_ID: order_id}
    return {ORDER_ID: order_id} if order is not None else not_found(order_id, dispatcher)


async def check_cancellation(
    customer_id: str, order_id: str, dispatcher: CollectingDispatcher
) -> SlotValues:
    """The order must be the customer's and still cancellable (the quote says both)."""
    client = customer_data_client()
    try:
        quote = await CustomerDataAction.call(client.cancellation_quote, customer_id, order_id)
    except NotFound:
        return not_found(order_id, dispatcher)
    except CustomerDataError as error:
        return unavailable(order_id, error, dispatcher)
    if not quote.cancellable:
        dispatcher.utter_message(
            response=UTTER_CANNOT_CANCEL_ORDER, order_id=order_id, reason=quote.reason
        )
        return stop_form(order_id)
    return {ORDER_ID: order_id}


async def check_address_change(
    customer_id: str, order_id: str, dispatcher: CollectingDispatcher
) -> SlotValues:
    """The order must be the customer's and not shipped yet, before asking for the address.

    The service decides again when the change is made (the order may ship in between); asking
    for an address that can't be used anymore would only waste the customer's time.
    """
    client = customer_data_client()
    try:
        order = await CustomerDataAction.call(client.get_order, customer_id, order_id)
    except CustomerDataError as error:
        return unavailable(order_id, error, dispatcher)
    if order is None:
        return not_found(order_id, dispatcher)
    decision = rules.address_change_allowed(order.status)
    if not decision.allowed:
        dispatcher.utter_message(
            response=UTTER_CANNOT_CHANGE_ADDRESS, order_id=order_id, reason=decision.reason
        )
        return stop_form(order_id)
    return {ORDER_ID: order_id}
