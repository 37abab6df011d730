"""What each export file holds: its fields, checks, business key and target table.

`SPECS` is the single description the loader works from; adding a file type means adding a spec.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Dict, Iterable, Optional, Tuple

from sqlalchemy import Table

from customer_data import models
from customer_data.ingest import checks, formats, normalize
from customer_data.ingest.checks import OrderRef
from customer_data.ingest.normalize import FieldError
from customer_data.ingest.phones import PhoneNumberError, to_e164
from customer_data.ingest.validation import (
    ADDRESS,
    BOOLEAN,
    DATE,
    EMAIL,
    MONEY,
    NAME,
    TIMESTAMP,
    Check,
    Field,
    Values,
    bounded_int,
    currency,
    identifier,
    phone,
    text,
    vocabulary,
)

INVOICE_STATUSES = ("issued", "paid", "void")
INTERACTION_CHANNELS = models.TICKET_CHANNELS
MAX_QUANTITY = 1000

CUSTOMER_ID = identifier(r"^C\d{7}$", "C0001234")
ORDER_ID = identifier(r"^ORD-\d{6,9}$", "ORD-583920")
TICKET_ID = identifier(r"^T-\d{7,9}$", "T-1234567")
REFUND_ID = identifier(r"^RF-\d{6,9}$", "RF-123456")
INVOICE_ID = identifier(r"^INV-\d{6,9}$", "INV-123456")
PAYMENT_ID = identifier(r"^PAY-\d{6,9}$", "PAY-123456")
SKU = identifier(r"^[A-Z0-9][A-Z0-9-]{1,31}$", "BC-1001")
CURRENCY = currency(models.CURRENCIES)
ORDER_STATUS = vocabulary(models.ORDER_STATUSES)

_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{6,14}$")
_WEB_ID = re.compile(r"^\S{1,254}$")
_INTENT = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

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
    surrogate_key: bool = False  # the table's primary key is an autoincrement `id`

    def key_of(self, values: Values) -> Tuple:
        """The business key of a converted row."""
        return tuple(values[name] for name in self.key)


def parse_history(raw: str, _values: Values) -> Tuple[Tuple[str, datetime], ...]:
    """`status@timestamp|status@timestamp...` as (status, naive UTC datetime) pairs."""
    entries = []
    for part in raw.split(formats.HISTORY_SEPARATOR):
        if not part.strip():
            continue
        status, separator, at = part.partition(formats.HISTORY_AT)
        if not separator:
            raise FieldError(f"entry {part.strip()!r} is not status@timestamp")
        entries.append((ORDER_STATUS(status, _values), normalize.parse_timestamp(at)))
    return tuple(entries)


def external_id(raw: str, values: Values) -> str:
    """An identity's id in the canonical form of its channel (e-mail, E.164, Slack id, ...)."""
    channel = values.get("channel")
    value = raw.strip()
    if channel == "email":
        return normalize.normalize_email(value)
    if channel == "phone":
        try:
            return to_e164(value, None)
        except PhoneNumberError as error:
            raise FieldError(f"{error} (phone identities need +<country code>)") from error
    if channel == "slack":
        value = value.upper()
        if not _SLACK_USER.match(value):
            raise FieldError(f"not a Slack user id: {raw.strip()!r}")
        return value
    if channel == "crm":
        return CUSTOMER_ID(value, values)
    if not _WEB_ID.match(value):
        raise FieldError("must be 1-254 characters without spaces")
    return value


def intent(raw: str, _values: Values) -> str:
    """An intent name (snake_case)."""
    value = raw.strip().lower()
    if not _INTENT.match(value):
        raise FieldError(f"not an intent name: {raw.strip()!r}")
    return value


def _customer_fields() -> Tuple[Field, ...]:
    return (
        Field("customer_id", CUSTOMER_ID, column="id"),
        Field("name", NAME),
        Field("country", identifier(r"^[A-Z]{2}$", "DE")),
        Field("email", EMAIL, required=False),
        Field("phone", phone("country"), required=False),
        Field("address", ADDRESS, required=False),
        Field("tier", vocabulary(models.TIERS), required=False, default="bronze"),
        Field("created_at", TIMESTAMP),
    )


def _build_specs() -> Dict[str, EntitySpec]:
    money_fields = (Field("amount", MONEY), Field("currency", CURRENCY))
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
                Field("external_id", external_id),
                Field("created_at", TIMESTAMP),
            ),
            key=("channel", "external_id"),
            lookup="external_id",
            customer_ref="customer_id",
            surrogate_key=True,
        ),
        EntitySpec(
            formats.CONSENTS,
            models.Consent.__table__,
            (
                Field("customer_id", CUSTOMER_ID),
                Field("purpose", vocabulary(models.CONSENT_PURPOSES)),
                Field("granted", BOOLEAN),
                Field("at", TIMESTAMP),
                Field("source", text(32), required=False, default="crm"),
            ),
            key=("customer_id", "purpose"),
            lookup="customer_id",
            customer_ref="customer_id",
            surrogate_key=True,
        ),
        EntitySpec(
            formats.ORDERS,
            models.Order.__table__,
            (
                Field("order_id", ORDER_ID, column="id"),
                Field("customer_id", CUSTOMER_ID),
                Field("status", ORDER_STATUS),
                Field("placed_at", TIMESTAMP),
                Field("currency", CURRENCY),
                Field("total_amount", MONEY),
                Field("shipping_address", ADDRESS),
                Field("delivery_estimate", DATE, required=False),
                Field("delivered_at", TIMESTAMP, required=False),
                Field("status_history", parse_history, required=False, default=(), stored=False),
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
                Field("unit_price", MONEY),
            ),
            key=("order_id", "sku"),
            lookup="order_id",
            order_ref="order_id",
            surrogate_key=True,
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
                Field("issued_at", TIMESTAMP),
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
                Field("at", TIMESTAMP),
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
                Field("requested_at", TIMESTAMP),
                Field("resolved_at", TIMESTAMP, required=False),
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
                Field("opened_at", TIMESTAMP),
                Field("resolved_at", TIMESTAMP, required=False),
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
                Field("at", TIMESTAMP),
                Field("intent", intent, required=False),
            ),
            key=("customer_id", "channel", "at"),
            lookup="customer_id",
            customer_ref="customer_id",
            surrogate_key=True,
        ),
    ]
    return {spec.name: spec for spec in specs}


SPECS: Dict[str, EntitySpec] = _build_specs()
