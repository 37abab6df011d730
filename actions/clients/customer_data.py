"""The action server's view of the customer data service: one typed method per API endpoint.

Two implementations: `HttpCustomerDataClient` (the real service over HTTP) and
`FakeCustomerDataClient` (in memory, same business rules, for tests). Actions depend on this
interface only. Every method returns the API's own pydantic models (`customer_data.schemas`) and
raises the errors of `actions.clients.errors`: any method may raise `ServiceUnavailable`, and
a malformed id, channel, purpose or body raises `InvalidRequest` before anything is sent.
"""

from abc import ABC, abstractmethod
from decimal import Decimal
from typing import List, Optional

from customer_data.schemas import (
    CancellationQuote,
    CancelOrderResult,
    ConsentOut,
    ContactDetailsOut,
    CustomerExport,
    ErasureResult,
    IdentityLink,
    InvoiceOut,
    OrderOut,
    OrderSummary,
    PaymentOut,
    Profile,
    RefundOut,
    TicketOut,
)

DEFAULT_LIMIT = 20  # records per list call, newest first (the service's default)
DEFAULT_CONSENT_SOURCE = "chat"
DEFAULT_TICKET_CHANNEL = "chat"


class CustomerDataClient(ABC):
    """Typed access to one shop's customer data (profiles, orders, refunds, consent, privacy)."""

    @abstractmethod
    def get_profile(self, customer_id: str) -> Profile:
        """The customer's profile. Raises `NotFound` for an unknown customer."""

    @abstractmethod
    def find_profile(self, channel: str, external_id: str) -> Optional[Profile]:
        """The profile linked to a channel's user id (e.g. `("slack", "U123")`), or None."""

    @abstractmethod
    def list_orders(self, customer_id: str, limit: int = DEFAULT_LIMIT) -> List[OrderSummary]:
        """The customer's newest orders, at most `limit` (1..100)."""

    @abstractmethod
    def get_order(self, customer_id: str, order_id: str) -> Optional[OrderOut]:
        """One order with items and history; None if unknown or another customer's."""

    @abstractmethod
    def cancellation_quote(self, customer_id: str, order_id: str) -> CancellationQuote:
        """Whether the order can be cancelled now and the fee. Raises `NotFound`."""

    @abstractmethod
    def cancel_order(
        self, customer_id: str, order_id: str, reason: Optional[str] = None
    ) -> CancelOrderResult:
        """Cancels the order at the quoted fee. Raises `RuleViolation` when not allowed."""

    @abstractmethod
    def change_shipping_address(self, customer_id: str, order_id: str, address: str) -> OrderOut:
        """Sets a new delivery address. Raises `RuleViolation` once the order has shipped."""

    @abstractmethod
    def request_refund(
        self, customer_id: str, order_id: str, reason: str, amount: Optional[Decimal] = None
    ) -> RefundOut:
        """Asks for `amount` back (None: all that is left). Raises `RuleViolation` if refused."""

    @abstractmethod
    def list_refunds(self, customer_id: str, limit: int = DEFAULT_LIMIT) -> List[RefundOut]:
        """The customer's newest refunds."""

    @abstractmethod
    def list_invoices(self, customer_id: str, limit: int = DEFAULT_LIMIT) -> List[InvoiceOut]:
        """The customer's newest invoices."""

    @abstractmethod
    def list_payments(self, customer_id: str, limit: int = DEFAULT_LIMIT) -> List[PaymentOut]:
        """The customer's newest payment attempts."""

    @abstractmethod
    def list_tickets(self, customer_id: str, limit: int = DEFAULT_LIMIT) -> List[TicketOut]:
        """The customer's newest support tickets."""

    @abstractmethod
    def create_ticket(
        self,
        customer_id: str,
        category: str,
        subject: str,
        channel: str = DEFAULT_TICKET_CHANNEL,
    ) -> TicketOut:
        """Opens a ticket (`category` from `customer_data.models.TICKET_CATEGORIES`).

        The subject is at most 300 characters; longer or empty raises `InvalidRequest`.
        """

    @abstractmethod
    def get_consents(self, customer_id: str) -> List[ConsentOut]:
        """The recorded consent decisions, by purpose (purposes never decided are not granted)."""

    @abstractmethod
    def set_consent(
        self,
        customer_id: str,
        purpose: str,
        granted: bool,
        source: str = DEFAULT_CONSENT_SOURCE,
    ) -> ConsentOut:
        """Grants or withdraws consent for one purpose (`customer_data.models.CONSENT_PURPOSES`)."""

    @abstractmethod
    def link_identity(self, customer_id: str, channel: str, external_id: str) -> IdentityLink:
        """Links a channel's user id to the customer; returns the link as stored.

        Linking again is a no-op; an id that belongs to another customer raises `RuleViolation`.
        """

    @abstractmethod
    def update_contact_details(
        self, customer_id: str, email: Optional[str] = None, phone: Optional[str] = None
    ) -> ContactDetailsOut:
        """Sets a new e-mail address and/or phone number (None: unchanged; one is required).

        A malformed address or a number that can't be read in the customer's country raises
        `InvalidRequest`; an e-mail address of another customer raises `RuleViolation`.
        """

    @abstractmethod
    def export_customer(self, customer_id: str) -> CustomerExport:
        """Everything stored about the customer (data subject access request)."""

    @abstractmethod
    def erase_customer(self, customer_id: str, reason: Optional[str] = None) -> ErasureResult:
        """Erases the customer and everything about them; `reason` goes to the audit log."""

    @abstractmethod
    def close(self) -> None:
        """Releases connections; the client must not be used afterwards."""
