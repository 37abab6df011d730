"""Invoice flows on live data: list the latest invoices, find the invoice for an order.

Nothing here sends e-mail (there is no service for it), so the answers say where to download an
invoice instead of claiming to have sent one.
"""

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import CustomerDataClient
from actions.formatting import amount, bullet_list, day
from actions.personal_data_action import PersonalDataAction
from actions.slots import ORDER_ID, UTTER_ORDER_NOT_FOUND
from customer_data.schemas import InvoiceOut

UTTER_CHECK_INVOICE = "utter_check_invoice"
UTTER_INVOICE_LIST = "utter_invoice_list"
UTTER_NO_INVOICES = "utter_no_invoices"
UTTER_INVOICE_INSTRUCTIONS = "utter_invoice_instructions"
UTTER_INVOICE_DETAILS = "utter_invoice_details"
UTTER_NO_INVOICE_YET = "utter_no_invoice_yet"

INVOICES_LISTED = 5
# The newest invoices searched for an order's invoice (the service's maximum page).
INVOICES_SEARCHED = 100


def invoice_line(invoice: InvoiceOut) -> str:
    """One invoice in a list: "INV-100004 for ORD-100004: 100.00 EUR, 6 June 2024"."""
    return (
        f"{invoice.id} for {invoice.order_id}: {amount(invoice.amount)} {invoice.currency}, "
        f"{day(invoice.issued_at)}"
    )


class ActionListInvoices(PersonalDataAction):
    """Lists the customer's most recent invoices."""

    resume_form = "action_list_invoices"  # no form to run again: the action itself

    def name(self) -> str:
        return "action_list_invoices"

    # Anonymous visitors: where invoices are and what they show.
    anonymous_response = UTTER_CHECK_INVOICE

    async def answer_customer(
        self,
        client: CustomerDataClient,
        customer_id: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        invoices = await self.call(client.list_invoices, customer_id, INVOICES_LISTED)
        if not invoices:
            dispatcher.utter_message(response=UTTER_NO_INVOICES)
            return []
        lines = bullet_list([invoice_line(invoice) for invoice in invoices])
        dispatcher.utter_message(response=UTTER_INVOICE_LIST, invoice_lines=lines)
        return []


class ActionSendInvoice(PersonalDataAction):
    """Gives the invoice of an order: its number, amount, date and where to download it.

    The name predates live data: nothing is sent, the answer says where the PDF is.
    """

    resume_form = "invoice_form"

    def name(self) -> str:
        return "action_send_invoice"

    # Anonymous visitors: where to download an invoice.
    anonymous_response = UTTER_INVOICE_INSTRUCTIONS

    async def answer_customer(
        self,
        client: CustomerDataClient,
        customer_id: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        order_id = tracker.get_slot(ORDER_ID)
        invoices = await self.call(client.list_invoices, customer_id, INVOICES_SEARCHED)
        invoice = next((invoice for invoice in invoices if invoice.order_id == order_id), None)
        if invoice is not None:
            dispatcher.utter_message(
                response=UTTER_INVOICE_DETAILS,
                invoice_id=invoice.id,
                order_id=invoice.order_id,
                amount=amount(invoice.amount),
                currency=invoice.currency,
                issued_on=day(invoice.issued_at),
            )
            return []
        if await self.call(client.get_order, customer_id, order_id) is None:
            dispatcher.utter_message(response=UTTER_ORDER_NOT_FOUND, order_id=order_id)
            return [SlotSet(ORDER_ID, None)]
        dispatcher.utter_message(response=UTTER_NO_INVOICE_YET, order_id=order_id)
        return []
