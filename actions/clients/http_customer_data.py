"""The real customer data client: the service's REST API over HTTP (see `http_transport`)."""

from decimal import Decimal
from typing import List, Optional
from urllib.parse import quote

import requests

from actions.clients.circuit_breaker import CircuitBreaker
from actions.clients.customer_data import (
    DEFAULT_CONSENT_SOURCE,
    DEFAULT_LIMIT,
    DEFAULT_TICKET_CHANNEL,
    CustomerDataClient,
)
from actions.clients.errors import NotFound
from actions.clients.http_transport import DEFAULT_POOL_MAXSIZE, JsonHttpTransport, build_session
from actions.clients.validation import (
    build_request,
    check_audit_reason,
    check_channel,
    check_customer_id,
    check_limit,
    check_order_id,
    check_purpose,
)
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
    TicketCreate,
    TicketOut,
)

API_PREFIX = "/api"
BY_IDENTITY_PATH = API_PREFIX + "/profiles/by-identity"
AUDIT_REASON_HEADER = "X-Audit-Reason"
GET, POST, PUT, PATCH, DELETE = "GET", "POST", "PUT", "PATCH", "DELETE"


def _customer_path(customer_id: str, *parts: str) -> str:
    """`/api/customers/{customer_id}/...` with every segment percent-encoded."""
    check_customer_id(customer_id)
    segments = ("customers", customer_id, *parts)
    return API_PREFIX + "".join("/" + quote(segment, safe="") for segment in segments)


def _order_path(customer_id: str, order_id: str, *parts: str) -> str:
    """`/api/customers/{customer_id}/orders/{order_id}/...`."""
    check_order_id(order_id)
    return _customer_path(customer_id, "orders", order_id, *parts)


class HttpCustomerDataClient(CustomerDataClient):
    """Talks to the customer data service with timeouts, one safe retry and a circuit breaker.

    Thread-safe: one instance (one connection pool, one breaker) serves the whole action server.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        connect_timeout: float = 0.5,
        read_timeout: float = 2.0,
        breaker: Optional[CircuitBreaker] = None,
        session: Optional[requests.Session] = None,
    ) -> None:
        """Creates the client; nothing is sent until the first call.

        Args:
            base_url: E.g. `http://127.0.0.1:8000` (without `/api`).
            token: The bearer token; empty sends none, so every call raises `Unauthorized`.
            connect_timeout: Seconds to open a connection.
            read_timeout: Seconds to wait for each read of the response.
            breaker: Default: 5 consecutive failures open the circuit for 30 s.
            session: Default: a pooled session (`build_session`); tests pass their own.

        """
        self._transport = JsonHttpTransport(
            base_url,
            token,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            breaker=breaker or CircuitBreaker(),
            session=session or build_session(DEFAULT_POOL_MAXSIZE),
        )

    @property
    def base_url(self) -> str:
        """The service's base URL, without a trailing slash."""
        return self._transport.base_url

    def get_profile(self, customer_id: str) -> Profile:
        return self._transport.call(GET, _customer_path(customer_id, "profile"), Profile)

    def find_profile(self, channel: str, external_id: str) -> Optional[Profile]:
        check_channel(channel)
        params = {"channel": channel, "external_id": external_id}
        try:
            return self._transport.call(GET, BY_IDENTITY_PATH, Profile, params=params)
        except NotFound:
            return None

    def list_orders(self, customer_id: str, limit: int = DEFAULT_LIMIT) -> List[OrderSummary]:
        return self._list(customer_id, "orders", List[OrderSummary], limit)

    def get_order(self, customer_id: str, order_id: str) -> Optional[OrderOut]:
        path = _order_path(customer_id, order_id)
        try:
            return self._transport.call(GET, path, OrderOut)
        except NotFound:
            return None

    def cancellation_quote(self, customer_id: str, order_id: str) -> CancellationQuote:
        path = _order_path(customer_id, order_id, "cancellation-fee")
        return self._transport.call(GET, path, CancellationQuote)

    def cancel_order(
        self, customer_id: str, order_id: str, reason: Optional[str] = None
    ) -> CancelOrderResult:
        body = build_request(CancelOrderRequest, reason=reason)
        path = _order_path(customer_id, order_id, "cancel")
        return self._transport.call(POST, path, CancelOrderResult, body=body)

    def change_shipping_address(self, customer_id: str, order_id: str, address: str) -> OrderOut:
        body = build_request(ShippingAddressChange, address=address)
        path = _order_path(customer_id, order_id, "shipping-address")
        return self._transport.call(PUT, path, OrderOut, body=body)

    def request_refund(
        self, customer_id: str, order_id: str, reason: str, amount: Optional[Decimal] = None
    ) -> RefundOut:
        body = build_request(RefundRequest, reason=reason, amount=amount)
        path = _order_path(customer_id, order_id, "refunds")
        return self._transport.call(POST, path, RefundOut, body=body)

    def list_refunds(self, customer_id: str, limit: int = DEFAULT_LIMIT) -> List[RefundOut]:
        return self._list(customer_id, "refunds", List[RefundOut], limit)

    def list_invoices(self, customer_id: str, limit: int = DEFAULT_LIMIT) -> List[InvoiceOut]:
        return self._list(customer_id, "invoices", List[InvoiceOut], limit)

    def list_payments(self, customer_id: str, limit: int = DEFAULT_LIMIT) -> List[PaymentOut]:
        return self._list(customer_id, "payments", List[PaymentOut], limit)

    def list_tickets(self, customer_id: str, limit: int = DEFAULT_LIMIT) -> List[TicketOut]:
        return self._list(customer_id, "tickets", List[TicketOut], limit)

    def create_ticket(
        self,
        customer_id: str,
        category: str,
        subject: str,
        channel: str = DEFAULT_TICKET_CHANNEL,
    ) -> TicketOut:
        body = build_request(TicketCreate, category=category, subject=subject, channel=channel)
        path = _customer_path(customer_id, "tickets")
        return self._transport.call(POST, path, TicketOut, body=body)

    def get_consents(self, customer_id: str) -> List[ConsentOut]:
        return self._transport.call(GET, _customer_path(customer_id, "consents"), List[ConsentOut])

    def set_consent(
        self,
        customer_id: str,
        purpose: str,
        granted: bool,
        source: str = DEFAULT_CONSENT_SOURCE,
    ) -> ConsentOut:
        check_purpose(purpose)
        body = build_request(ConsentUpdate, granted=granted, source=source)
        path = _customer_path(customer_id, "consents", purpose)
        return self._transport.call(PUT, path, ConsentOut, body=body)

    def link_identity(self, customer_id: str, channel: str, external_id: str) -> IdentityLink:
        check_channel(channel)
        body = build_request(IdentityLink, channel=channel, external_id=external_id)
        path = _customer_path(customer_id, "identities")
        return self._transport.call(POST, path, IdentityLink, body=body)

    def update_contact_details(
        self, customer_id: str, email: Optional[str] = None, phone: Optional[str] = None
    ) -> ContactDetailsOut:
        body = build_request(ContactDetailsUpdate, email=email, phone=phone)
        path = _customer_path(customer_id)
        return self._transport.call(PATCH, path, ContactDetailsOut, body=body)

    def export_customer(self, customer_id: str) -> CustomerExport:
        return self._transport.call(GET, _customer_path(customer_id, "export"), CustomerExport)

    def erase_customer(self, customer_id: str, reason: Optional[str] = None) -> ErasureResult:
        check_audit_reason(reason)
        headers = {AUDIT_REASON_HEADER: reason} if reason else None
        path = _customer_path(customer_id)
        return self._transport.call(DELETE, path, ErasureResult, headers=headers)

    def close(self) -> None:
        self._transport.close()

    def _list(self, customer_id: str, kind: str, response_type: type, limit: int) -> list:
        check_limit(limit)
        path = _customer_path(customer_id, kind)
        return self._transport.call(GET, path, response_type, params={"limit": limit})
