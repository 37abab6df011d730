"""The CRM export format: which files exist, their columns, and the order they load in.

The demo-data generator writes exactly these columns and the ingest reads them, so the contract
between the two lives here once.
"""

from typing import Dict, Tuple

CUSTOMERS = "customers"
IDENTITIES = "identities"
CONSENTS = "consents"
ORDERS = "orders"
ORDER_ITEMS = "order_items"
INVOICES = "invoices"
PAYMENTS = "payments"
REFUNDS = "refunds"
TICKETS = "tickets"
INTERACTIONS = "interactions"

# Dependency order: every file only refers to rows of files before it.
LOAD_ORDER: Tuple[str, ...] = (
    CUSTOMERS,
    IDENTITIES,
    CONSENTS,
    ORDERS,
    ORDER_ITEMS,
    INVOICES,
    PAYMENTS,
    REFUNDS,
    TICKETS,
    INTERACTIONS,
)

FILE_COLUMNS: Dict[str, Tuple[str, ...]] = {
    CUSTOMERS: (
        "customer_id",
        "name",
        "email",
        "phone",
        "country",
        "address",
        "tier",
        "created_at",
    ),
    IDENTITIES: ("customer_id", "channel", "external_id", "created_at"),
    CONSENTS: ("customer_id", "purpose", "granted", "at", "source"),
    ORDERS: (
        "order_id",
        "customer_id",
        "status",
        "placed_at",
        "currency",
        "total_amount",
        "shipping_address",
        "delivery_estimate",
        "delivered_at",
        "status_history",
    ),
    ORDER_ITEMS: ("order_id", "sku", "product_name", "quantity", "unit_price"),
    INVOICES: (
        "invoice_id",
        "order_id",
        "customer_id",
        "amount",
        "currency",
        "status",
        "issued_at",
    ),
    PAYMENTS: (
        "payment_id",
        "order_id",
        "customer_id",
        "method",
        "amount",
        "currency",
        "status",
        "failure_reason",
        "at",
    ),
    REFUNDS: (
        "refund_id",
        "order_id",
        "customer_id",
        "amount",
        "currency",
        "status",
        "refund_reason",
        "requested_at",
        "resolved_at",
    ),
    TICKETS: (
        "ticket_id",
        "customer_id",
        "category",
        "channel",
        "subject",
        "status",
        "opened_at",
        "resolved_at",
        "satisfaction",
    ),
    INTERACTIONS: ("customer_id", "channel", "intent", "at"),
}

# `status_history` holds `status@timestamp` entries in time order, separated by this character.
HISTORY_SEPARATOR = "|"
HISTORY_AT = "@"

CSV_SUFFIX = ".csv"
JSONL_SUFFIXES = (".jsonl", ".ndjson")
