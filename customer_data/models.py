"""The customer data schema (SQLAlchemy 1.4 declarative; Alembic migrations mirror it).

Identifiers are the business keys the shop already uses (`C0001234`, `ORD-583920`, `INV-...`), so
CRM exports, webhooks and chat messages refer to rows without a lookup table. Money is `Numeric`
(exact decimals), times are timezone-naive UTC.
"""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

# Closed vocabularies, named once; validation, rules and the API use these.
TIERS = ("bronze", "silver", "gold")
IDENTITY_CHANNELS = ("web", "slack", "email", "phone", "crm")
ORDER_STATUSES = ("pending", "processing", "shipped", "delivered", "cancelled", "returned")
REFUND_STATUSES = ("requested", "approved", "paid", "rejected")
PAYMENT_STATUSES = ("succeeded", "failed", "refunded")
PAYMENT_METHODS = (
    "card",
    "paypal",
    "apple_pay",
    "google_pay",
    "klarna",
    "gift_card",
    "bank_transfer",
)
TICKET_CATEGORIES = (
    "orders",
    "delivery",
    "refunds",
    "payments",
    "invoices",
    "account",
    "contact",
    "feedback",
)
TICKET_CHANNELS = ("web", "slack", "email", "phone", "chat")
TICKET_STATUSES = ("open", "pending", "resolved")
CONSENT_PURPOSES = ("marketing_email", "newsletter", "personalization", "analytics")
SEGMENTS = ("high_value", "at_risk", "new", "frequent_support", "standard")
HANDOFF_PRIORITIES = ("urgent", "high", "normal", "low")  # most urgent first
HANDOFF_STATUSES = ("queued", "assigned", "closed", "returned")
HANDOFF_REASONS = (
    "customer_request",
    "repeated_failure",
    "complaint",
    "service_down",
    "escalation_risk",
)
HANDOFF_AUTHORS = ("customer", "agent", "assistant")
CURRENCIES = ("EUR", "GBP", "USD", "CHF", "SEK", "NOK", "DKK", "PLN")
MONEY = Numeric(12, 2)


class Customer(Base):
    """A customer's master record (the golden record after identity resolution)."""

    __tablename__ = "customers"

    id = Column(String(16), primary_key=True)  # master customer id, e.g. C0001234
    name = Column(String(200), nullable=False)
    email = Column(String(254), unique=True, index=True)  # lower-case
    phone = Column(String(20), index=True)  # E.164
    country = Column(String(2), nullable=False)  # ISO 3166-1 alpha-2
    address = Column(String(300))  # default shipping address
    created_at = Column(DateTime, nullable=False)
    tier = Column(String(10), nullable=False, default="bronze")
    updated_at = Column(DateTime, nullable=False)

    identities = relationship("Identity", back_populates="customer", cascade="all, delete-orphan")
    orders = relationship("Order", back_populates="customer", cascade="all, delete-orphan")
    tickets = relationship("Ticket", back_populates="customer", cascade="all, delete-orphan")
    consents = relationship("Consent", back_populates="customer", cascade="all, delete-orphan")


class Identity(Base):
    """One way a customer is known on a channel (web user id, Slack user id, e-mail, ...)."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_identity_channel_id"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    customer_id = Column(
        String(16), ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True
    )
    channel = Column(String(10), nullable=False)
    external_id = Column(String(254), nullable=False)
    created_at = Column(DateTime, nullable=False)

    customer = relationship("Customer", back_populates="identities")


class Order(Base):
    """An order with its current status; `OrderStatusEvent` keeps the history."""

    __tablename__ = "orders"

    id = Column(String(16), primary_key=True)  # ORD-583920
    customer_id = Column(
        String(16), ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status = Column(String(12), nullable=False)
    placed_at = Column(DateTime, nullable=False)
    currency = Column(String(3), nullable=False)
    total_amount = Column(MONEY, nullable=False)
    shipping_address = Column(String(300), nullable=False)
    delivery_estimate = Column(Date)
    delivered_at = Column(DateTime)
    updated_at = Column(DateTime, nullable=False)

    customer = relationship("Customer", back_populates="orders")
    items = relationship("OrderItem", back_populates="order", cascade="all, delete-orphan")
    status_history = relationship(
        "OrderStatusEvent",
        back_populates="order",
        cascade="all, delete-orphan",
        order_by="OrderStatusEvent.at",
    )


class OrderItem(Base):
    """One line of an order."""

    __tablename__ = "order_items"

    id = Column(Integer, primary_key=True, autoincrement=True)
    order_id = Column(
        String(16), ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True
    )
    sku = Column(String(32), nullable=False)
    product_name = Column(String(200), nullable=False)
    quantity = Column(Integer, nullable=False)
    unit_price = Column(MONEY, nullable=False)

    order = relationship("Order", back_populates="items")


class OrderStatusEvent(Base):
    """An order entered `status` at `at` (the status history)."""

    __tablename__ = "order_status_events"

    id = Column(Integer, primary_key=True, autoincrement=True)
    order_id = Column(
        String(16), ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status = Column(String(12), nullable=False)
    at = Column(DateTime, nullable=False)
    source = Column(String(32), nullable=False, default="system")

    order = relationship("Order", back_populates="status_history")


class Refund(Base):
    """Money going back to a customer for (part of) an order."""

    __tablename__ = "refunds"

    id = Column(String(16), primary_key=True)  # RF-123456
    order_id = Column(
        String(16), ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True
    )
    customer_id = Column(
        String(16), ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True
    )
    amount = Column(MONEY, nullable=False)
    currency = Column(String(3), nullable=False)
    status = Column(String(10), nullable=False)
    reason = Column(String(300))
    requested_at = Column(DateTime, nullable=False)
    resolved_at = Column(DateTime)


class Invoice(Base):
    """The invoice document of an order."""

    __tablename__ = "invoices"

    id = Column(String(16), primary_key=True)  # INV-123456
    order_id = Column(
        String(16), ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True
    )
    customer_id = Column(
        String(16), ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True
    )
    amount = Column(MONEY, nullable=False)
    currency = Column(String(3), nullable=False)
    issued_at = Column(DateTime, nullable=False)
    status = Column(String(10), nullable=False, default="issued")  # issued | paid | void


class Payment(Base):
    """A payment attempt for an order (failed attempts are kept: "why was I declined")."""

    __tablename__ = "payments"

    id = Column(String(16), primary_key=True)  # PAY-123456
    order_id = Column(
        String(16), ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True
    )
    customer_id = Column(
        String(16), ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True
    )
    method = Column(String(16), nullable=False)
    amount = Column(MONEY, nullable=False)
    currency = Column(String(3), nullable=False)
    status = Column(String(10), nullable=False)
    failure_reason = Column(String(200))
    at = Column(DateTime, nullable=False)


class Ticket(Base):
    """A support ticket from any channel."""

    __tablename__ = "tickets"

    id = Column(String(16), primary_key=True)  # T-1234567
    customer_id = Column(
        String(16), ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True
    )
    category = Column(String(12), nullable=False)
    channel = Column(String(10), nullable=False)
    subject = Column(String(300), nullable=False)
    status = Column(String(10), nullable=False)
    opened_at = Column(DateTime, nullable=False)
    resolved_at = Column(DateTime)
    satisfaction = Column(Integer)  # 1-5, when the customer rated it
    updated_at = Column(DateTime, nullable=False)

    customer = relationship("Customer", back_populates="tickets")


class Interaction(Base):
    """A contact with the customer on some channel (chat turn summary, call, e-mail)."""

    __tablename__ = "interactions"
    __table_args__ = (Index("ix_interactions_customer_at", "customer_id", "at"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    customer_id = Column(String(16), ForeignKey("customers.id", ondelete="CASCADE"), nullable=False)
    channel = Column(String(10), nullable=False)
    at = Column(DateTime, nullable=False)
    intent = Column(String(64))


class Consent(Base):
    """The customer's current decision for one purpose; changes are also in the audit log."""

    __tablename__ = "consents"
    __table_args__ = (UniqueConstraint("customer_id", "purpose", name="uq_consent_purpose"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    customer_id = Column(
        String(16), ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True
    )
    purpose = Column(String(32), nullable=False)
    granted = Column(Boolean, nullable=False)
    at = Column(DateTime, nullable=False)
    source = Column(String(32), nullable=False)  # web, chat, crm, import, ...

    customer = relationship("Customer", back_populates="consents")


class Segment(Base):
    """A customer's segment as assigned by one segmentation model version."""

    __tablename__ = "segments"
    __table_args__ = (Index("ix_segments_customer_assigned", "customer_id", "assigned_at"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    customer_id = Column(String(16), ForeignKey("customers.id", ondelete="CASCADE"), nullable=False)
    segment = Column(String(20), nullable=False)
    model_version = Column(String(32), nullable=False)
    assigned_at = Column(DateTime, nullable=False)


class AuditEntry(Base):
    """Who read or changed which customer's data, when and why. Never deleted by erasure."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_customer_at", "customer_id", "at"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(DateTime, nullable=False)
    actor = Column(String(64), nullable=False)  # API client id, "ingest", "crm-webhook", ...
    action = Column(String(32), nullable=False)  # read_profile, cancel_order, erase, ...
    customer_id = Column(String(16), nullable=False)  # kept after erasure, no foreign key
    resource = Column(String(64))
    reason = Column(String(200))


class WebhookEvent(Base):
    """A CRM webhook event already applied (idempotency and replay protection by event id)."""

    __tablename__ = "webhook_events"

    event_id = Column(String(64), primary_key=True)
    event_type = Column(String(32), nullable=False)
    received_at = Column(DateTime, nullable=False)


class MergeCandidate(Base):
    """Two customers that may be the same person (near-identical names at one address)."""

    __tablename__ = "merge_candidates"
    __table_args__ = (UniqueConstraint("customer_id_a", "customer_id_b", name="uq_merge_pair"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    customer_id_a = Column(String(16), nullable=False)
    customer_id_b = Column(String(16), nullable=False)
    reason = Column(Text, nullable=False)
    detected_at = Column(DateTime, nullable=False)


class Handoff(Base):
    """A conversation handed from the assistant to a human agent, queued by priority and SLA.

    `customer_id` is empty for a visitor who never verified; `summary` is the JSON the assistant
    wrote (intents, entities, what was tried) so an agent needn't read the whole transcript first.
    """

    __tablename__ = "handoffs"
    __table_args__ = (
        Index("ix_handoffs_status_priority", "status", "priority_rank", "created_at"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    customer_id = Column(String(16), ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    segment = Column(String(20))
    reason = Column(String(24), nullable=False)
    priority = Column(String(8), nullable=False)
    priority_rank = Column(Integer, nullable=False)  # 0 = urgent; sorts the queue
    status = Column(String(10), nullable=False)
    summary = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False)
    sla_due_at = Column(DateTime, nullable=False)
    within_business_hours = Column(Boolean, nullable=False)
    agent = Column(String(64))
    closed_at = Column(DateTime)
    ticket_id = Column(String(16))  # the follow-up ticket opened outside business hours

    messages = relationship(
        "HandoffMessage",
        back_populates="handoff",
        cascade="all, delete-orphan",
        order_by="HandoffMessage.id",
    )


class HandoffMessage(Base):
    """One line of a handoff's transcript: what the customer, the assistant or an agent said."""

    __tablename__ = "handoff_messages"

    id = Column(Integer, primary_key=True, autoincrement=True)
    handoff_id = Column(
        Integer, ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False, index=True
    )
    author = Column(String(10), nullable=False)
    agent = Column(String(64))
    text = Column(Text, nullable=False)
    at = Column(DateTime, nullable=False)
    delivered_at = Column(DateTime)  # agent lines: when Rasa accepted them for the channel

    handoff = relationship("Handoff", back_populates="messages")


class SatisfactionRating(Base):
    """A customer's 1-5 rating of one resolved flow or closed handoff (CSAT)."""

    __tablename__ = "satisfaction_ratings"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    customer_id = Column(String(16), ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    segment = Column(String(20))
    flow = Column(String(64), nullable=False)
    human_involved = Column(Boolean, nullable=False)
    rating = Column(Integer, nullable=False)
    comment = Column(Text)
    at = Column(DateTime, nullable=False)
