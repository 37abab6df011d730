"""One set of assertions, run against the fake and the HTTP client (over a scripted server).

The scripted server answers the way the service does: profile JSON for a known customer, the
service's 404 error body for anything else.
"""

from datetime import datetime
from decimal import Decimal

import pytest

from actions.clients.errors import InvalidRequest, NotFound
from actions.clients.fake_customer_data import FakeCustomerDataClient
from actions.clients.http_customer_data import HttpCustomerDataClient
from customer_data.schemas import OrderSummary, Profile
from tests.unit.actions.clients.samples import (
    CUSTOMER_ID,
    NOW,
    ORDER_ID,
    OTHER_CUSTOMER_ID,
    make_order,
    make_profile,
)
from tests.unit.actions.clients.scripted_server import Reply, error

PROFILE = make_profile()
ORDER = make_order()
SLACK_USER = ("slack", "U1")


def service_route(seen):
    """The service's answers for one seeded customer, as JSON."""
    identity = (seen.query.get("channel", [""])[0], seen.query.get("external_id", [""])[0])
    routes = {
        f"/api/customers/{CUSTOMER_ID}/profile": PROFILE,
        f"/api/customers/{CUSTOMER_ID}/orders/{ORDER_ID}": ORDER,
        "/api/profiles/by-identity": PROFILE if identity == SLACK_USER else None,
    }
    body = routes.get(seen.path)
    if body is None:
        return error(404, "not_found", f"nothing at {seen.path}")
    return Reply(200, body)


@pytest.fixture(params=["fake", "http"])
def client(request):
    if request.param == "fake":
        fake = FakeCustomerDataClient(now=lambda: NOW)
        fake.add_customer(PROFILE, orders=[ORDER], identities={SLACK_USER})
        fake.add_customer(make_profile(OTHER_CUSTOMER_ID))
        yield fake
        return
    server = request.getfixturevalue("server")
    server.route(service_route)
    http = HttpCustomerDataClient(server.url, "token")
    yield http
    http.close()


def test_get_profile_returns_the_typed_profile(client):
    profile = client.get_profile(CUSTOMER_ID)

    assert isinstance(profile, Profile)
    assert profile == PROFILE
    assert profile.total_spend == Decimal("1234.50")
    assert profile.created_at == datetime(2021, 3, 4, 9, 30)
    assert isinstance(profile.last_order, OrderSummary)
    assert profile.last_order.total_amount == Decimal("59.90")
    assert profile.consents == {"marketing_email": True}


def test_an_unknown_customer_is_not_found(client):
    with pytest.raises(NotFound):
        client.get_profile("C0009999")


def test_find_profile_by_identity(client):
    assert client.find_profile(*SLACK_USER).customer_id == CUSTOMER_ID
    assert client.find_profile("slack", "U404") is None


def test_get_order_is_none_for_an_order_that_is_not_the_customers(client):
    assert client.get_order(CUSTOMER_ID, ORDER_ID) == ORDER
    assert client.get_order(CUSTOMER_ID, "ORD-999999") is None
    assert client.get_order(OTHER_CUSTOMER_ID, ORDER_ID) is None


@pytest.mark.parametrize("customer_id", ["C1", "c0000001", "C0000001/../x", ""])
def test_a_malformed_customer_id_is_an_invalid_request(client, customer_id):
    with pytest.raises(InvalidRequest):
        client.get_profile(customer_id)
