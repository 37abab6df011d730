"""What each export file holds: its fields, checks, business key and target table.

`SPECS` is the single description the loader works from; adding a file type means adding a spec.
"""

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Callable, Dict, Iterable, Optional, Tuple

from sqlalchemy import Table

from customer_data import models
from customer_data.ingest import checks, formats
from customer_data.ingest.checks import OrderRef
from customer_data.ingest.converters import (
    COUNTRY,
    CURRENCY,
    CUSTOMER_ID,
    INVOICE_ID,
    ORDER_ID,
    ORDER_STATUS,
    PAYMENT_ID,
    REFUND_ID,
    SKU,
    TICKET_ID,
    bounded_int,
    external_id,
    intent,
    phone,
    status_history,
    text,
    vocabulary,
)
from customer_data.ingest.normalize import (
    normalize_address,
    normalize_email,
    normalize_name,
    parse_bool,
    parse_date,
    parse_money,
    parse_timestamp,
)
from customer_data.ingest.validation import Check, Field, Values

INVOICE_STATUSES = ("issued", "paid", "void")
INTERACTION_CHANNELS = models.TICKET_CHANNELS
MAX_QUANTITY = 1000

OrderCheck = Callable[[Values, OrderRef], Iterable[str]]


@dataclass(frozen=True)
class EntitySpec:
    """How one export file maps onto one table."""

    name: str
    table: Table
    fields: Tuple[Field, ...]
    key: Tuple[str, ...]  # field names of the business key
    lookup: str  # the key field whose column the existing-rows query filters on (IN ...)
    checks: Tuple[Check, ...] = ()
    customer_ref: Optional[str] = None  # field naming a customer (resolved to the master id)
    order_ref: Optional[str] = None  # field naming an order
    order_checks: Tuple[OrderCheck, ...] = ()
    key_of: Callable[[Values], Tuple] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The business key of a converted row, always as a tuple.
        getter = itemgetter(*self.key)
        key_of = getter if len(self.key) > 1 else (lambda values: (getter(values),))
        object.__setattr__(self, "key_of", key_of)


def _customer_fields() -> Tuple[Field, ...]:
    return (
        Field("customer_id", CUSTOMER_ID, column="id"),
        Field("name", normalize_name),
        Field("country", COUNTRY),
        Field("email", normalize_email, required=False),
        Field("phone", phone("country"), required=False, with_row=True),
        Field("address", normalize_address, required=False),
        Field("tier", vocabulary(models.TIERS), required=False, default="bronze"),
        Field("created_at", parse_timestamp),
    )


def _build_specs() -> Dict[str, EntitySpec]:
    money_fields = (Field("amount", parse_money), Field("currency", CURRENCY))
    order_link = dict(
        customer_ref="customer_id",
        order_ref="order_id",
        order_checks=(checks.same_customer_and_currency,),
    )
    specs = [
        EntitySpec(
            formats.CUSTOMERS,
            models.Customer.__table__,
            _customer_fields(),
            key=("customer_id",),
            lookup="customer_id",
            checks=(checks.contact_required,),
        ),
        EntitySpec(
            formats.IDENTITIES,
            models.Identity.__table__,
            (
                Field("customer_id", CUSTOMER_ID),
                Field("channel", vocabulary(models.IDENTITY_CHANNELS)),
                Field("external_id", external_id, with_row=True),
                Field("created_at", parse_timestamp),
            ),
            key=("channel", "external_id"),
            lookup="external_id",
            customer_ref="customer_id",
        ),
        EntitySpec(
            formats.CONSENTS,
            models.Consent.__table__,
            (
                Field("customer_id", CUSTOMER_ID),
                Field("purpose", vocabulary(models.CONSENT_PURPOSES)),
                Field("granted", parse_bool),
                Field("at", parse_timestamp),
                Field("source", text(32), required=False, default="crm"),
            ),
            key=("customer_id", "purpose"),
            lookup="customer_id",
            customer_ref="customer_id",
        ),
        EntitySpec(
            formats.ORDERS,
            models.Order.__table__,
            (
                Field("order_id", ORDER_ID, column="id"),
                Field("customer_id", CUSTOMER_ID),
                Field("status", ORDER_STATUS),
                Field("placed_at", parse_timestamp),
                Field("currency", CURRENCY),
                Field("total_amount", parse_money),
                Field("shipping_address", normalize_address),
                Field("delivery_estimate", parse_date, required=False),
                Field("delivered_at", parse_timestamp, required=False),
                Field("status_history", status_history, required=False, default=(), stored=False),
            ),
            key=("order_id",),
            lookup="order_id",
            customer_ref="customer_id",
            checks=(
                checks.duration("placed_at", "delivered_at"),
                checks.delivery_consistent,
                checks.history_consistent,
            ),
        ),
        EntitySpec(
            formats.ORDER_ITEMS,
            models.OrderItem.__table__,
            (
                Field("order_id", ORDER_ID),
                Field("sku", SKU),
                Field("product_name", text(200)),
                Field("quantity", bounded_int(1, MAX_QUANTITY)),
                Field("unit_price", parse_money),
            ),
            key=("order_id", "sku"),
            lookup="order_id",
            order_ref="order_id",
        ),
        EntitySpec(
            formats.INVOICES,
            models.Invoice.__table__,
            (
                Field("invoice_id", INVOICE_ID, column="id"),
                Field("order_id", ORDER_ID),
                Field("customer_id", CUSTOMER_ID),
                *money_fields,
                Field("status", vocabulary(INVOICE_STATUSES), required=False, default="issued"),
                Field("issued_at", parse_timestamp),
            ),
            key=("invoice_id",),
            lookup="invoice_id",
            **order_link,
        ),
        EntitySpec(
            formats.PAYMENTS,
            models.Payment.__table__,
            (
                Field("payment_id", PAYMENT_ID, column="id"),
                Field("order_id", ORDER_ID),
                Field("customer_id", CUSTOMER_ID),
                Field("method", vocabulary(models.PAYMENT_METHODS)),
                *money_fields,
                Field("status", vocabulary(models.PAYMENT_STATUSES)),
                Field("failure_reason", text(200), required=False),
                Field("at", parse_timestamp),
            ),
            key=("payment_id",),
            lookup="payment_id",
            **order_link,
        ),
        EntitySpec(
            formats.REFUNDS,
            models.Refund.__table__,
            (
                Field("refund_id", REFUND_ID, column="id"),
                Field("order_id", ORDER_ID),
                Field("customer_id", CUSTOMER_ID),
                *money_fields,
                Field("status", vocabulary(models.REFUND_STATUSES)),
                Field("refund_reason", text(300), required=False, column="reason"),
                Field("requested_at", parse_timestamp),
                Field("resolved_at", parse_timestamp, required=False),
            ),
            key=("refund_id",),
            lookup="refund_id",
            checks=(checks.duration("requested_at", "resolved_at"),),
            customer_ref="customer_id",
            order_ref="order_id",
            order_checks=(checks.same_customer_and_currency, checks.within_order_total),
        ),
        EntitySpec(
            formats.TICKETS,
            models.Ticket.__table__,
            (
                Field("ticket_id", TICKET_ID, column="id"),
                Field("customer_id", CUSTOMER_ID),
                Field("category", vocabulary(models.TICKET_CATEGORIES)),
                Field("channel", vocabulary(models.TICKET_CHANNELS)),
                Field("subject", text(300)),
                Field("status", vocabulary(models.TICKET_STATUSES)),
                Field("opened_at", parse_timestamp),
                Field("resolved_at", parse_timestamp, required=False),
                Field("satisfaction", bounded_int(1, 5), required=False),
            ),
            key=("ticket_id",),
            lookup="ticket_id",
            customer_ref="customer_id",
            checks=(checks.duration("opened_at", "resolved_at"), checks.ticket_consistent),
        ),
        EntitySpec(
            formats.INTERACTIONS,
            models.Interaction.__table__,
            (
                Field("customer_id", CUSTOMER_ID),
                Field("channel", vocabulary(INTERACTION_CHANNELS)),
                Field("at", parse_timestamp),
                Field("intent", intent, required=False),
            ),
            key=("customer_id", "channel", "at"),
            lookup="customer_id",
            customer_ref="customer_id",
        ),
    ]
    return {spec.name: spec for spec in specs}


SPECS: Dict[str, EntitySpec] = _build_specs()
