"""An in-memory customer data client for tests, applying the service's own business rules.

Seed it with the API's models, then drive actions against it:

    fake = FakeCustomerDataClient(now=lambda: datetime(2024, 5, 1, 12, 0))
    fake.add_customer(profile, orders=[order], identities={("slack", "U1")})
    fake.available = False  # every call now raises ServiceUnavailable

Cancellation, address changes and refunds are decided by `customer_data.rules`, the functions the
real service calls, and requests are validated like the real client's, so the fake answers what
the service would. Profiles are returned as seeded, except `consents`, which follow
`set_consent`, and `email`/`phone`, which follow `update_contact_details`. Not thread-safe.
"""

import itertools
from datetime import datetime
from decimal import Decimal
from typing import Callable, Dict, Iterable, List, Optional

from actions.clients.customer_data import (
    DEFAULT_CONSENT_SOURCE,
    DEFAULT_LIMIT,
    DEFAULT_TICKET_CHANNEL,
    CustomerDataClient,
)
from actions.clients.errors import InvalidRequest, NotFound, RuleViolation, ServiceUnavailable
from actions.clients.fake_records import (
    CustomerRecord,
    Identity,
    erased_counts,
    export_of,
    normalize_identity,
    summary_of,
    utc_now,
)
from actions.clients.validation import (
    VALIDATION_ERROR_CODE,
    build_request,
    check_audit_reason,
    check_channel,
    check_customer_id,
    check_limit,
    check_order_id,
    check_purpose,
)
from customer_data import rules
from customer_data.account_service import EMAIL_TAKEN
from customer_data.ingest.phones import PhoneNumberError, to_e164
from customer_data.schemas import (
    CancellationQuote,
    CancelOrderRequest,
    CancelOrderResult,
    ConsentOut,
    ConsentUpdate,
    ContactDetailsOut,
    ContactDetailsUpdate,
    CustomerExport,
    ErasureResult,
    IdentityLink,
    InvoiceOut,
    OrderOut,
    OrderSummary,
    PaymentOut,
    Profile,
    RefundOut,
    RefundRequest,
    ShippingAddressChange,
    StatusChangeOut,
    TicketCreate,
    TicketOut,
)

CANCELLED = "cancelled"
NEW_REFUND_STATUS = "requested"
SEED_CONSENT_SOURCE = "crm"
CENT = Decimal("0.01")
FIRST_REFUND_NUMBER = 900_001  # far from seeded ids, so new refunds never collide with them
FIRST_TICKET_NUMBER = 9_000_001
OPEN_TICKET_STATUS = "open"
EMAIL_CHANNEL = "email"
PHONE_CHANNEL = "phone"
RULE_VIOLATION_CODE = "rule_violation"  # the service's `error` codes
NOT_FOUND_CODE = "not_found"


def _not_found(message: str) -> NotFound:
    return NotFound(message, status_code=404, code=NOT_FOUND_CODE)


def _refused(reason: str) -> RuleViolation:
    return RuleViolation(reason, status_code=409, code=RULE_VIOLATION_CODE)


class FakeCustomerDataClient(CustomerDataClient):
    """Customer data in dictionaries; set `available = False` to simulate an outage."""

    def __init__(self, now: Callable[[], datetime] = utc_now) -> None:
        """Starts empty; `now` is the clock the business rules see (naive UTC)."""
        self.available = True
        self._now = now
        self._customers: Dict[str, CustomerRecord] = {}
        self._identities: Dict[Identity, str] = {}
        self._refund_numbers = itertools.count(FIRST_REFUND_NUMBER)
        self._ticket_numbers = itertools.count(FIRST_TICKET_NUMBER)

    def add_customer(
        self,
        profile: Profile,
        orders: Iterable[OrderOut] = (),
        identities: Iterable[Identity] = (),
        refunds: Iterable[RefundOut] = (),
        invoices: Iterable[InvoiceOut] = (),
        payments: Iterable[PaymentOut] = (),
        tickets: Iterable[TicketOut] = (),
        consents: Optional[Iterable[ConsentOut]] = None,
    ) -> None:
        """Seeds one customer (consents default to `profile.consents`); works while unavailable."""
        if profile.customer_id in self._customers:
            raise ValueError(f"customer {profile.customer_id} was already added")
        linked = {normalize_identity(*identity) for identity in identities}
        taken = sorted(linked & self._identities.keys())
        if taken:
            raise ValueError(f"identities already linked to another customer: {taken}")
        if consents is None:
            consents = [
                ConsentOut(
                    purpose=purpose, granted=granted, at=self._now(), source=SEED_CONSENT_SOURCE
                )
                for purpose, granted in profile.consents.items()
            ]
        self._customers[profile.customer_id] = CustomerRecord(
            profile=profile.copy(deep=True),
            orders={order.id: order.copy(deep=True) for order in orders},
            identities=linked,
            refunds=[refund.copy() for refund in refunds],
            invoices=[invoice.copy() for invoice in invoices],
            payments=[payment.copy() for payment in payments],
            tickets=[ticket.copy() for ticket in tickets],
            consents={consent.purpose: consent.copy() for consent in consents},
        )
        self._identities.update((identity, profile.customer_id) for identity in linked)

    def get_profile(self, customer_id: str) -> Profile:
        customer = self._customer(customer_id)
        consents = {purpose: consent.granted for purpose, consent in customer.consents.items()}
        return customer.profile.copy(update={"consents": consents}, deep=True)

    def find_profile(self, channel: str, external_id: str) -> Optional[Profile]:
        check_channel(channel)
        self._ensure_available()
        customer_id = self._identities.get(normalize_identity(channel, external_id))
        return None if customer_id is None else self.get_profile(customer_id)

    def list_orders(self, customer_id: str, limit: int = DEFAULT_LIMIT) -> List[OrderSummary]:
        check_limit(limit)
        orders = self._customer(customer_id).orders.values()
        newest = sorted(orders, key=lambda order: (order.placed_at, order.id), reverse=True)
        return [summary_of(order) for order in newest[:limit]]

    def get_order(self, customer_id: str, order_id: str) -> Optional[OrderOut]:
        check_order_id(order_id)
        order = self._customer(customer_id).orders.get(order_id)
        return order.copy(deep=True) if order else None

    def cancellation_quote(self, customer_id: str, order_id: str) -> CancellationQuote:
        order = self._order(customer_id, order_id)
        decision = self._cancellation(customer_id, order)
        return CancellationQuote(
            order_id=order.id,
            cancellable=decision.allowed,
            fee=decision.amount,
            currency=order.currency,
            reason=decision.reason,
        )

    def cancel_order(
        self, customer_id: str, order_id: str, reason: Optional[str] = None
    ) -> CancelOrderResult:
        build_request(CancelOrderRequest, reason=reason)
        order = self._order(customer_id, order_id)
        decision = self._cancellation(customer_id, order)
        if not decision.allowed:
            raise _refused(decision.reason)
        history = [*order.status_history, StatusChangeOut(status=CANCELLED, at=self._now())]
        self._save(customer_id, order.copy(update={"status": CANCELLED, "status_history": history}))
        return CancelOrderResult(
            order_id=order.id, status=CANCELLED, fee=decision.amount, currency=order.currency
        )

    def change_shipping_address(self, customer_id: str, order_id: str, address: str) -> OrderOut:
        change = build_request(ShippingAddressChange, address=address)
        order = self._order(customer_id, order_id)
        decision = rules.address_change_allowed(order.status)
        if not decision.allowed:
            raise _refused(decision.reason)
        changed = order.copy(update={"shipping_address": change.address})
        self._save(customer_id, changed)
        return changed.copy(deep=True)

    def request_refund(
        self, customer_id: str, order_id: str, reason: str, amount: Optional[Decimal] = None
    ) -> RefundOut:
        request = build_request(RefundRequest, reason=reason, amount=amount)
        order = self._order(customer_id, order_id)
        refunds = self._customers[customer_id].refunds
        refunded = [
            refund.amount
            for refund in refunds
            if refund.order_id == order.id and refund.status in rules.OUTSTANDING_REFUND_STATUSES
        ]
        requested = request.amount.quantize(CENT) if request.amount is not None else None
        decision = rules.refund_decision(
            order.status, order.delivered_at, order.total_amount, refunded, requested, self._now()
        )
        if not decision.allowed:
            raise _refused(decision.reason)
        refund = RefundOut(
            id=f"RF-{next(self._refund_numbers):06d}",
            order_id=order.id,
            amount=decision.amount.quantize(CENT),
            currency=order.currency,
            status=NEW_REFUND_STATUS,
            reason=request.reason,
            requested_at=self._now(),
            resolved_at=None,
        )
        refunds.append(refund)
        return refund.copy()

    def list_refunds(self, customer_id: str, limit: int = DEFAULT_LIMIT) -> List[RefundOut]:
        return self._newest(customer_id, "refunds", "requested_at", limit)

    def list_invoices(self, customer_id: str, limit: int = DEFAULT_LIMIT) -> List[InvoiceOut]:
        return self._newest(customer_id, "invoices", "issued_at", limit)

    def list_payments(self, customer_id: str, limit: int = DEFAULT_LIMIT) -> List[PaymentOut]:
        return self._newest(customer_id, "payments", "at", limit)

    def list_tickets(self, customer_id: str, limit: int = DEFAULT_LIMIT) -> List[TicketOut]:
        return self._newest(customer_id, "tickets", "opened_at", limit)

    def create_ticket(
        self,
        customer_id: str,
        category: str,
        subject: str,
        channel: str = DEFAULT_TICKET_CHANNEL,
    ) -> TicketOut:
        request = build_request(TicketCreate, category=category, subject=subject, channel=channel)
        customer = self._customer(customer_id)
        ticket = TicketOut(
            id=f"T-{next(self._ticket_numbers):07d}",
            category=request.category,
            channel=request.channel,
            subject=request.subject,
            status=OPEN_TICKET_STATUS,
            opened_at=self._now(),
            resolved_at=None,
            satisfaction=None,
        )
        customer.tickets.append(ticket)
        return ticket.copy()

    def get_consents(self, customer_id: str) -> List[ConsentOut]:
        consents = self._customer(customer_id).consents
        return [consents[purpose].copy() for purpose in sorted(consents)]

    def set_consent(
        self,
        customer_id: str,
        purpose: str,
        granted: bool,
        source: str = DEFAULT_CONSENT_SOURCE,
    ) -> ConsentOut:
        check_purpose(purpose)
        update = build_request(ConsentUpdate, granted=granted, source=source)
        consent = ConsentOut(
            purpose=purpose, granted=update.granted, at=self._now(), source=update.source
        )
        self._customer(customer_id).consents[purpose] = consent
        return consent.copy()

    def link_identity(self, customer_id: str, channel: str, external_id: str) -> IdentityLink:
        check_channel(channel)
        link = build_request(IdentityLink, channel=channel, external_id=external_id)
        customer = self._customer(customer_id)
        identity = normalize_identity(link.channel, link.external_id)
        if self._identities.get(identity, customer_id) != customer_id:
            raise _refused(f"this {link.channel} id is already linked to another customer")
        customer.identities.add(identity)
        self._identities[identity] = customer_id
        return IdentityLink(channel=identity[0], external_id=identity[1])

    def update_contact_details(
        self, customer_id: str, email: Optional[str] = None, phone: Optional[str] = None
    ) -> ContactDetailsOut:
        update = build_request(ContactDetailsUpdate, email=email, phone=phone)
        customer = self._customer(customer_id)
        profile = customer.profile
        changes = {}
        if update.email is not None and update.email != profile.email:
            if self._email_owner(update.email) not in (None, customer_id):
                raise _refused(EMAIL_TAKEN)
            changes["email"] = update.email
        if update.phone is not None:
            try:
                phone = to_e164(update.phone, profile.country)
            except PhoneNumberError as error:
                raise InvalidRequest(
                    f"body.phone: {error}",
                    code=VALIDATION_ERROR_CODE,
                    details=[{"loc": ["body", "phone"], "msg": str(error), "type": "value_error"}],
                ) from error
            if phone != profile.phone:
                changes["phone"] = phone
        for channel, field in ((EMAIL_CHANNEL, "email"), (PHONE_CHANNEL, "phone")):
            if field in changes:
                self._relink_identity(customer_id, channel, getattr(profile, field), changes[field])
        customer.profile = profile.copy(update=changes, deep=True)
        return ContactDetailsOut(
            customer_id=customer_id, email=customer.profile.email, phone=customer.profile.phone
        )

    def export_customer(self, customer_id: str) -> CustomerExport:
        return export_of(self._customer(customer_id))

    def erase_customer(self, customer_id: str, reason: Optional[str] = None) -> ErasureResult:
        check_audit_reason(reason)
        customer = self._customer(customer_id)
        del self._customers[customer_id]
        for identity in customer.identities:
            self._identities.pop(identity, None)
        return ErasureResult(customer_id=customer_id, erased=erased_counts(customer))

    def close(self) -> None:
        """Nothing to release."""

    def _ensure_available(self) -> None:
        if not self.available:
            raise ServiceUnavailable("the fake customer data service is switched off")

    def _customer(self, customer_id: str) -> CustomerRecord:
        check_customer_id(customer_id)
        self._ensure_available()
        customer = self._customers.get(customer_id)
        if customer is None:
            raise _not_found(f"no customer {customer_id}")
        return customer

    def _order(self, customer_id: str, order_id: str) -> OrderOut:
        check_order_id(order_id)
        order = self._customer(customer_id).orders.get(order_id)
        if order is None:
            raise _not_found(f"customer {customer_id} has no order {order_id}")
        return order

    def _save(self, customer_id: str, order: OrderOut) -> None:
        self._customers[customer_id].orders[order.id] = order

    def _cancellation(self, customer_id: str, order: OrderOut) -> rules.Decision:
        tier = self._customers[customer_id].profile.tier
        return rules.cancellation_quote(
            order.status, order.placed_at, tier, order.total_amount, self._now()
        )

    def _email_owner(self, email: str) -> Optional[str]:
        for customer_id, customer in self._customers.items():
            if customer.profile.email == email:
                return customer_id
        return self._identities.get((EMAIL_CHANNEL, email))

    def _relink_identity(
        self, customer_id: str, channel: str, old: Optional[str], new: str
    ) -> None:
        """As the service does: the old value stops finding the customer, the new one does."""
        customer = self._customers[customer_id]
        if old is not None and old != new:
            old_identity = normalize_identity(channel, old)
            if old_identity in customer.identities:
                customer.identities.discard(old_identity)
                del self._identities[old_identity]
        new_identity = normalize_identity(channel, new)
        if new_identity not in self._identities:
            customer.identities.add(new_identity)
            self._identities[new_identity] = customer_id

    def _newest(self, customer_id: str, kind: str, time_field: str, limit: int) -> list:
        check_limit(limit)
        records = getattr(self._customer(customer_id), kind)
        newest = sorted(records, key=lambda record: getattr(record, time_field), reverse=True)
        return [record.copy() for record in newest[:limit]]
