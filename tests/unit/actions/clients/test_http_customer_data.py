import json
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from email.utils import format_datetime

import pytest
from requests.adapters import HTTPAdapter

from actions.clients.circuit_breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker
from actions.clients.errors import (
    CircuitOpen,
    CustomerDataError,
    InvalidRequest,
    NotFound,
    RateLimited,
    RuleViolation,
    ServiceUnavailable,
    Unauthorized,
    UnexpectedResponse,
)
from actions.clients.http_customer_data import HttpCustomerDataClient
from actions.clients.http_transport import build_session, parse_retry_after
from customer_data.schemas import IdentityLink, OrderSummary, RefundOut
from tests.unit.actions.clients.samples import (
    CUSTOMER_ID,
    NOW,
    ORDER_ID,
    make_order,
    make_profile,
    summary,
)
from tests.unit.actions.clients.scripted_server import Reply, error, refusing_port

TOKEN = "s3cret-token"
READ_TIMEOUT = 0.3


class CountingAdapter(HTTPAdapter):
    """The real transport adapter, counting the attempts that never reach a server."""

    def __init__(self) -> None:
        super().__init__(max_retries=0)
        self.attempts = 0

    def send(self, *args, **kwargs):
        self.attempts += 1
        return super().send(*args, **kwargs)


@pytest.fixture
def breaker(clock):
    return CircuitBreaker(clock=clock)


@pytest.fixture
def client(server, breaker):
    http = HttpCustomerDataClient(
        server.url + "/", TOKEN, connect_timeout=0.5, read_timeout=READ_TIMEOUT, breaker=breaker
    )
    yield http
    http.close()


def counting_client(url, breaker=None):
    adapter = CountingAdapter()
    session = build_session()
    session.mount("http://", adapter)
    return HttpCustomerDataClient(url, TOKEN, breaker=breaker, session=session), adapter


# --- parsing and what is sent -------------------------------------------------------------


def test_get_profile_parses_the_body_into_the_profile_model(server, client):
    profile = make_profile()
    server.reply(Reply(200, profile))

    result = client.get_profile(CUSTOMER_ID)

    assert result == profile
    assert result.total_spend == Decimal("1234.50")
    assert result.created_at == datetime(2021, 3, 4, 9, 30)
    assert isinstance(result.open_orders[0], OrderSummary)
    [seen] = server.requests
    assert (seen.method, seen.path) == ("GET", f"/api/customers/{CUSTOMER_ID}/profile")
    assert seen.headers["authorization"] == f"Bearer {TOKEN}"
    assert seen.headers["accept"] == "application/json"


def test_money_sent_as_a_json_number_is_still_exact(server, client):
    body = json.loads(make_profile().json())
    body["total_spend"] = 1234.5
    server.reply(Reply(200, body))

    assert client.get_profile(CUSTOMER_ID).total_spend == Decimal("1234.5")


def test_list_orders_sends_the_limit_and_parses_a_list(server, client):
    orders = [summary(make_order("ORD-000002")), summary(make_order())]
    server.reply(Reply(200, orders))

    assert client.list_orders(CUSTOMER_ID, limit=5) == orders
    assert server.requests[0].query == {"limit": ["5"]}


def test_find_profile_sends_channel_and_external_id_and_404_means_none(server, client):
    server.reply(error(404, "not_found", "no customer for that identity"))

    assert client.find_profile("slack", "U123") is None
    seen = server.requests[0]
    assert seen.path == "/api/profiles/by-identity"
    assert seen.query == {"channel": ["slack"], "external_id": ["U123"]}


def test_get_order_of_someone_else_is_none(server, client):
    server.reply(error(404, "not_found", f"customer {CUSTOMER_ID} has no order {ORDER_ID}"))

    assert client.get_order(CUSTOMER_ID, ORDER_ID) is None


def test_request_refund_posts_the_body_and_parses_the_created_refund(server, client):
    refund = RefundOut(
        id="RF-123456",
        order_id=ORDER_ID,
        amount=Decimal("12.50"),
        currency="EUR",
        status="requested",
        reason="broken",
        requested_at=NOW,
        resolved_at=None,
    )
    server.reply(Reply(201, refund))

    assert client.request_refund(CUSTOMER_ID, ORDER_ID, " broken ", Decimal("12.5")) == refund
    seen = server.requests[0]
    assert (seen.method, seen.path) == (
        "POST",
        f"/api/customers/{CUSTOMER_ID}/orders/{ORDER_ID}/refunds",
    )
    assert seen.headers["content-type"] == "application/json"
    assert seen.json() == {"amount": "12.5", "reason": "broken"}


def test_link_identity_returns_the_link_as_stored(server, client):
    server.reply(Reply(201, {"channel": "email", "external_id": "jane@example.com"}))

    link = client.link_identity(CUSTOMER_ID, "email", "Jane@Example.com")

    assert link == IdentityLink(channel="email", external_id="jane@example.com")
    assert server.requests[0].json() == {"channel": "email", "external_id": "Jane@Example.com"}


def test_erase_customer_sends_delete_with_the_audit_reason(server, client):
    server.reply(Reply(200, {"customer_id": CUSTOMER_ID, "erased": {"customers": 1}}))

    result = client.erase_customer(CUSTOMER_ID, reason="customer asked in chat")

    assert result.erased == {"customers": 1}
    seen = server.requests[0]
    assert (seen.method, seen.path) == ("DELETE", f"/api/customers/{CUSTOMER_ID}")
    assert seen.headers["x-audit-reason"] == "customer asked in chat"


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.get_profile("C123"),
        lambda c: c.get_order(CUSTOMER_ID, "ORD-1/../../x"),
        lambda c: c.change_shipping_address(CUSTOMER_ID, ORDER_ID, "short"),
        lambda c: c.request_refund(CUSTOMER_ID, ORDER_ID, "broken", Decimal("-1")),
        lambda c: c.list_orders(CUSTOMER_ID, limit=0),
        lambda c: c.set_consent(CUSTOMER_ID, "selling_my_data", True),
        lambda c: c.find_profile("carrier-pigeon", "x"),
        lambda c: c.erase_customer(CUSTOMER_ID, reason="line\nbreak"),
    ],
)
def test_invalid_requests_are_rejected_before_anything_is_sent(server, client, call):
    with pytest.raises(InvalidRequest) as raised:
        call(client)

    assert raised.value.details
    assert server.requests == []


# --- status codes -> errors -----------------------------------------------------------------


def test_409_is_a_rule_violation_with_the_services_reason(server, client):
    reason = "the order is shipped; only pending or processing orders can be cancelled"
    server.reply(error(409, "rule_violation", reason))

    with pytest.raises(RuleViolation) as raised:
        client.cancel_order(CUSTOMER_ID, ORDER_ID, reason="changed my mind")

    assert raised.value.reason == reason
    assert (raised.value.status_code, raised.value.code) == (409, "rule_violation")
    assert server.requests[0].json() == {"reason": "changed my mind"}


def test_404_on_get_profile_is_not_found(server, client):
    server.reply(error(404, "not_found", f"no customer {CUSTOMER_ID}"))

    with pytest.raises(NotFound, match=f"no customer {CUSTOMER_ID}"):
        client.get_profile(CUSTOMER_ID)


def test_422_is_an_invalid_request_with_the_details(server, client):
    details = [{"loc": ["body", "address"], "msg": "too short", "type": "value_error"}]
    server.reply(error(422, "validation_error", "the request is not valid", details=details))

    with pytest.raises(InvalidRequest) as raised:
        client.change_shipping_address(CUSTOMER_ID, ORDER_ID, "Gartenweg 5, 12345 Potsdam")

    assert raised.value.details == details
    assert server.requests[0].method == "PUT"


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_token_is_unauthorized(server, client, status):
    server.reply(error(status, "unauthorized", "missing or unknown bearer token"))

    with pytest.raises(Unauthorized):
        client.list_invoices(CUSTOMER_ID)


def test_without_a_token_no_authorization_header_is_sent(server):
    server.reply(error(401, "unauthorized", "missing bearer token"))
    anonymous = HttpCustomerDataClient(server.url, "")

    with pytest.raises(Unauthorized):
        anonymous.get_consents(CUSTOMER_ID)
    assert "authorization" not in server.requests[0].headers


def test_429_is_rate_limited_with_retry_after(server, client):
    server.reply(error(429, "rate_limited", "slow down", headers={"Retry-After": "7"}))

    with pytest.raises(RateLimited) as raised:
        client.list_tickets(CUSTOMER_ID)

    assert raised.value.retry_after == 7.0


def test_retry_after_may_be_an_http_date():
    now = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
    header = format_datetime(now + timedelta(seconds=30), usegmt=True)

    assert parse_retry_after(header, now=now) == 30.0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_service_unavailable_and_not_retried(server, client, status):
    server.reply(error(status, "internal_error", "internal server error"))

    with pytest.raises(ServiceUnavailable):
        client.list_payments(CUSTOMER_ID)
    assert len(server.requests) == 1


def test_an_unexpected_status_is_a_plain_customer_data_error(server, client):
    server.reply(error(405, "method_not_allowed", "method not allowed"))

    with pytest.raises(CustomerDataError) as raised:
        client.list_refunds(CUSTOMER_ID)
    assert type(raised.value) is CustomerDataError
    assert raised.value.status_code == 405


@pytest.mark.parametrize(
    "body",
    [b"<html>gateway</html>", b'{"customer_id": "C0000001"}'],
    ids=["not-json", "breaks-the-contract"],
)
def test_a_body_that_breaks_the_contract_is_an_unexpected_response(server, client, body):
    server.reply(Reply(200, body))

    with pytest.raises(UnexpectedResponse):
        client.get_profile(CUSTOMER_ID)


# --- timeouts and the one retry ----------------------------------------------------------


def test_a_slow_answer_times_out_quickly_and_is_not_retried(server, client):
    server.reply(Reply(200, make_profile(), delay=2.0))

    started = time.monotonic()
    with pytest.raises(ServiceUnavailable):
        client.get_profile(CUSTOMER_ID)

    assert time.monotonic() - started < 1.5  # one read timeout (0.3 s), not the 2 s answer
    assert len(server.requests) == 1


def test_a_dropped_connection_is_retried_once_for_a_get(server, client):
    profile = make_profile()
    server.reply(Reply(drop=True), Reply(200, profile))

    assert client.get_profile(CUSTOMER_ID) == profile
    assert len(server.requests) == 2


def test_a_get_is_retried_only_once(server, client):
    server.reply(Reply(drop=True))

    with pytest.raises(ServiceUnavailable):
        client.get_order(CUSTOMER_ID, ORDER_ID)
    assert len(server.requests) == 2


def test_a_put_is_retried_once_too(server, client):
    order = make_order()
    server.reply(Reply(drop=True), Reply(200, order))

    assert (
        client.change_shipping_address(CUSTOMER_ID, ORDER_ID, "Gartenweg 5, 12345 Potsdam") == order
    )
    assert [seen.method for seen in server.requests] == ["PUT", "PUT"]


def test_a_post_that_reached_the_service_is_never_repeated(server, client):
    server.reply(Reply(drop=True), Reply(200, {"order_id": ORDER_ID}))

    with pytest.raises(ServiceUnavailable):
        client.cancel_order(CUSTOMER_ID, ORDER_ID)
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.get_profile(CUSTOMER_ID),
        lambda c: c.request_refund(CUSTOMER_ID, ORDER_ID, "broken"),
    ],
    ids=["GET", "POST"],
)
def test_a_refused_connection_is_tried_exactly_twice(call):
    sock = refusing_port()
    try:
        client, adapter = counting_client(f"http://127.0.0.1:{sock.getsockname()[1]}")
        with pytest.raises(ServiceUnavailable):
            call(client)
        client.close()
    finally:
        sock.close()
    assert adapter.attempts == 2


# --- circuit breaker ---------------------------------------------------------------------


def test_the_circuit_opens_after_five_failures_and_then_fails_fast(server, client, breaker):
    server.reply(error(500, "internal_error", "internal server error"))
    for _ in range(5):
        with pytest.raises(ServiceUnavailable):
            client.get_profile(CUSTOMER_ID)
    assert breaker.state == OPEN

    for _ in range(3):
        with pytest.raises(CircuitOpen):
            client.get_profile(CUSTOMER_ID)
    assert len(server.requests) == 5


def test_client_errors_do_not_open_the_circuit(server, client, breaker):
    server.reply(*[error(500, "internal_error", "boom")] * 4, error(404, "not_found", "no"))
    for _ in range(4):
        with pytest.raises(ServiceUnavailable):
            client.get_profile(CUSTOMER_ID)
    with pytest.raises(NotFound):
        client.get_profile(CUSTOMER_ID)
    server.reply(error(409, "rule_violation", "no"))
    for _ in range(6):
        with pytest.raises(RuleViolation):
            client.cancel_order(CUSTOMER_ID, ORDER_ID)

    assert breaker.state == CLOSED
    assert len(server.requests) == 11


def test_after_the_cool_down_one_trial_call_closes_the_circuit(server, client, breaker, clock):
    server.reply(error(503, "internal_error", "down"))
    for _ in range(5):
        with pytest.raises(ServiceUnavailable):
            client.get_profile(CUSTOMER_ID)
    clock.advance(29.9)
    with pytest.raises(CircuitOpen):
        client.get_profile(CUSTOMER_ID)

    clock.advance(0.1)
    assert breaker.state == HALF_OPEN
    profile = make_profile()
    server.reply(Reply(200, profile))

    assert client.get_profile(CUSTOMER_ID) == profile
    assert breaker.state == CLOSED
    assert len(server.requests) == 6


def test_a_failed_trial_call_opens_the_circuit_again(server, client, breaker, clock):
    server.reply(error(500, "internal_error", "down"))
    for _ in range(5):
        with pytest.raises(ServiceUnavailable):
            client.get_profile(CUSTOMER_ID)
    clock.advance(30)

    with pytest.raises(ServiceUnavailable):
        client.get_profile(CUSTOMER_ID)
    with pytest.raises(CircuitOpen):
        client.get_profile(CUSTOMER_ID)
    assert len(server.requests) == 6
