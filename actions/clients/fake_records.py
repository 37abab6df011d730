"""What the fake customer data client stores per customer, and the views it derives from it.

Shaped like the service's own answers (`customer_data.privacy`): the export lists the same
customer fields, and erasure counts rows under the service's table names.
"""

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Dict, List, Optional, Set, Tuple

from customer_data.schemas import (
    ConsentOut,
    CustomerExport,
    InvoiceOut,
    OrderOut,
    OrderSummary,
    PaymentOut,
    Profile,
    RefundOut,
    TicketOut,
)

EMAIL_CHANNEL = "email"

Identity = Tuple[str, str]  # (channel, external_id)


def utc_now() -> datetime:
    """Naive UTC now, like every time in the API."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def normalize_identity(channel: str, external_id: str) -> Identity:
    """The stored form of an identity, as the service stores it (e-mails lower-case)."""
    external_id = external_id.strip()
    return channel, external_id.lower() if channel == EMAIL_CHANNEL else external_id


@dataclass
class CustomerRecord:
    """Everything the fake stores about one customer."""

    profile: Profile
    orders: Dict[str, OrderOut]
    identities: Set[Identity]
    refunds: List[RefundOut] = field(default_factory=list)
    invoices: List[InvoiceOut] = field(default_factory=list)
    payments: List[PaymentOut] = field(default_factory=list)
    tickets: List[TicketOut] = field(default_factory=list)
    consents: Dict[str, ConsentOut] = field(default_factory=dict)


def summary_of(order: OrderOut) -> OrderSummary:
    """The order without its lines and history."""
    return OrderSummary(**order.dict(include=set(OrderSummary.__fields__)))


def export_of(customer: CustomerRecord) -> CustomerExport:
    """The data subject access export of one customer, newest records first."""
    profile = customer.profile
    fields: Dict[str, Optional[str]] = {
        "id": profile.customer_id,
        "name": profile.name,
        "email": profile.email,
        "phone": profile.phone,
        "country": profile.country,
        "address": None,  # not part of the profile the fake is seeded with
        "tier": profile.tier,
        "created_at": profile.created_at.isoformat(),
        "updated_at": None,
    }
    segments = []
    if profile.segment:
        segments.append(
            {"segment": profile.segment, "model_version": profile.segment_model_version or ""}
        )
    export = CustomerExport(
        customer=fields,
        identities=[
            {"channel": channel, "external_id": external_id}
            for channel, external_id in sorted(customer.identities)
        ],
        orders=sorted(customer.orders.values(), key=lambda o: o.placed_at, reverse=True),
        refunds=sorted(customer.refunds, key=lambda r: r.requested_at, reverse=True),
        invoices=sorted(customer.invoices, key=lambda i: i.issued_at, reverse=True),
        payments=sorted(customer.payments, key=lambda p: p.at, reverse=True),
        tickets=sorted(customer.tickets, key=lambda t: t.opened_at, reverse=True),
        consents=sorted(customer.consents.values(), key=lambda c: c.at, reverse=True),
        segments=segments,
        interactions=[],
    )
    return export.copy(deep=True)


def erased_counts(customer: CustomerRecord) -> Dict[str, int]:
    """Rows erasure removes per table, as the service reports them."""
    orders = customer.orders.values()
    return {
        "order_items": sum(len(order.items) for order in orders),
        "order_status_events": sum(len(order.status_history) for order in orders),
        "refunds": len(customer.refunds),
        "invoices": len(customer.invoices),
        "payments": len(customer.payments),
        "orders": len(customer.orders),
        "tickets": len(customer.tickets),
        "interactions": 0,
        "consents": len(customer.consents),
        "segments": 1 if customer.profile.segment else 0,
        "identities": len(customer.identities),
        "merge_candidates": 0,
        "customers": 1,
    }
