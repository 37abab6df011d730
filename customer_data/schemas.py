"""The API contract: request and response bodies (pydantic 1.x), shared with the typed client.

The action server's client parses responses into these same models, so a field renamed here breaks
the client's tests, not a customer's conversation.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Dict, List, Optional

from pydantic import BaseModel, Field, constr, root_validator, validator

from customer_data.ingest.normalize import normalize_email
from customer_data.models import (
    CONSENT_PURPOSES,
    IDENTITY_CHANNELS,
    TICKET_CATEGORIES,
    TICKET_CHANNELS,
)

OrderId = constr(regex=r"^ORD-\d{6}$")
CustomerId = constr(regex=r"^C\d{7}$")


class ApiModel(BaseModel):
    """Base for API bodies: reads ORM objects, rejects unknown request fields."""

    class Config:
        """ORM mode for responses; unknown fields in requests are an error, not ignored."""

        orm_mode = True
        extra = "forbid"
        json_encoders = {Decimal: lambda value: str(value)}


class OrderItemOut(ApiModel):
    """One line of an order."""

    sku: str
    product_name: str
    quantity: int
    unit_price: Decimal


class StatusChangeOut(ApiModel):
    """An entry of an order's status history."""

    status: str
    at: datetime


class OrderSummary(ApiModel):
    """What a conversation needs to talk about an order."""

    id: str
    status: str
    placed_at: datetime
    currency: str
    total_amount: Decimal
    delivery_estimate: Optional[date]
    delivered_at: Optional[datetime]
    shipping_address: str


class OrderOut(OrderSummary):
    """An order with its lines and status history."""

    items: List[OrderItemOut]
    status_history: List[StatusChangeOut]


class RefundOut(ApiModel):
    """A refund and where it stands."""

    id: str
    order_id: str
    amount: Decimal
    currency: str
    status: str
    reason: Optional[str]
    requested_at: datetime
    resolved_at: Optional[datetime]


class InvoiceOut(ApiModel):
    """An invoice document."""

    id: str
    order_id: str
    amount: Decimal
    currency: str
    issued_at: datetime
    status: str


class PaymentOut(ApiModel):
    """A payment attempt."""

    id: str
    order_id: str
    method: str
    amount: Decimal
    currency: str
    status: str
    failure_reason: Optional[str]
    at: datetime


class TicketOut(ApiModel):
    """A support ticket."""

    id: str
    category: str
    channel: str
    subject: str
    status: str
    opened_at: datetime
    resolved_at: Optional[datetime]
    satisfaction: Optional[int]


class ConsentOut(ApiModel):
    """The current decision for one purpose."""

    purpose: str
    granted: bool
    at: datetime
    source: str


class Profile(ApiModel):
    """Everything the assistant personalizes from, for one customer."""

    customer_id: str
    name: str
    first_name: str
    email: Optional[str]
    phone: Optional[str]
    country: str
    tier: str
    segment: Optional[str]  # latest from the segments table; None until segmentation ran
    segment_model_version: Optional[str]
    created_at: datetime
    customer_since_days: int
    order_count: int
    total_spend: Decimal  # delivered and in-flight orders, in the customer's main currency
    currency: Optional[str]
    open_orders: List[OrderSummary]  # not yet delivered, cancelled or returned
    last_order: Optional[OrderSummary]
    recent_refunds: List[RefundOut]  # the 5 newest
    recent_invoices: List[InvoiceOut]  # the 5 newest
    recent_failed_payments: List[PaymentOut]  # failed in the last 30 days
    open_tickets: List[TicketOut]
    tickets_last_90_days: int
    preferred_channel: Optional[str]  # most frequent interaction channel
    consents: Dict[str, bool]  # purpose -> granted; absent purposes are not granted


class CancellationQuote(ApiModel):
    """Whether an order can be cancelled now, and what it would cost."""

    order_id: str
    cancellable: bool
    fee: Decimal
    currency: str
    reason: str  # why not cancellable, or how the fee was computed


class CancelOrderRequest(ApiModel):
    """Cancel an order (the fee quoted by the cancellation-fee endpoint applies)."""

    reason: Optional[constr(strip_whitespace=True, max_length=300)] = None


class CancelOrderResult(ApiModel):
    """The order after cancellation."""

    order_id: str
    status: str
    fee: Decimal
    currency: str


class ShippingAddressChange(ApiModel):
    """A new delivery address for an order that has not shipped."""

    address: constr(strip_whitespace=True, min_length=10, max_length=300)


class RefundRequest(ApiModel):
    """Ask for money back; without `amount`, the rest of the order total."""

    amount: Optional[Decimal] = Field(None, gt=0, max_digits=12, decimal_places=2)
    reason: constr(strip_whitespace=True, min_length=1, max_length=300)


class ConsentUpdate(ApiModel):
    """Grant or withdraw consent for one purpose."""

    granted: bool
    source: constr(strip_whitespace=True, min_length=1, max_length=32) = "chat"


class IdentityLink(ApiModel):
    """Link a channel's user id to a customer (e.g. after in-chat verification)."""

    channel: constr(strip_whitespace=True, min_length=1, max_length=10)
    external_id: constr(strip_whitespace=True, min_length=1, max_length=254)


class CustomerExport(ApiModel):
    """Everything stored about one customer (data subject access request)."""

    customer: Dict[str, Optional[str]]
    identities: List[Dict[str, str]]
    orders: List[OrderOut]
    refunds: List[RefundOut]
    invoices: List[InvoiceOut]
    payments: List[PaymentOut]
    tickets: List[TicketOut]
    consents: List[ConsentOut]
    segments: List[Dict[str, str]]
    interactions: List[Dict[str, Optional[str]]]


class ErasureResult(ApiModel):
    """What erasure removed."""

    customer_id: str
    erased: Dict[str, int]  # table -> rows removed


class TicketCreate(ApiModel):
    """Open a support ticket for the customer (a complaint or a review from the chat)."""

    category: constr(strip_whitespace=True, min_length=1, max_length=12)
    subject: constr(strip_whitespace=True, min_length=1, max_length=300)
    channel: constr(strip_whitespace=True, min_length=1, max_length=10) = "chat"

    @validator("category")
    def _known_category(cls, value: str) -> str:  # noqa: N805
        if value not in TICKET_CATEGORIES:
            raise ValueError(f"category must be one of: {', '.join(TICKET_CATEGORIES)}")
        return value

    @validator("channel")
    def _known_channel(cls, value: str) -> str:  # noqa: N805
        if value not in TICKET_CHANNELS:
            raise ValueError(f"channel must be one of: {', '.join(TICKET_CHANNELS)}")
        return value


class ContactDetailsUpdate(ApiModel):
    """A new e-mail address and/or phone number; a field left out (or null) stays as it is.

    The e-mail address is checked and lower-cased here; the phone number is read in the
    customer's country (national or international notation) and stored as E.164.
    """

    email: Optional[constr(strip_whitespace=True, min_length=3, max_length=254)] = None
    phone: Optional[constr(strip_whitespace=True, min_length=3, max_length=40)] = None

    @validator("email")
    def _valid_email(cls, value: Optional[str]) -> Optional[str]:  # noqa: N805
        return None if value is None else normalize_email(value)

    @root_validator(skip_on_failure=True)
    def _changes_something(cls, values: Dict[str, Any]) -> Dict[str, Any]:  # noqa: N805
        if values.get("email") is None and values.get("phone") is None:
            raise ValueError("give an e-mail address, a phone number or both")
        return values


class ContactDetailsOut(ApiModel):
    """The customer's contact details after a change."""

    customer_id: str
    email: Optional[str]
    phone: Optional[str]


class ErrorOut(ApiModel):
    """Every error response: a stable code and a message a developer can act on."""

    error: str
    message: str
    details: Optional[list] = None


KNOWN_PURPOSES = CONSENT_PURPOSES
KNOWN_IDENTITY_CHANNELS = IDENTITY_CHANNELS
