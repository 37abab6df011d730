import pytest

from tests.integration.customer_data.api_support import AUTH, build_container, client_for
from tests.unit.customer_data.factories import (
    ADA,
    ADA_DELIVERED,
    ADA_DELIVERED_LONG_AGO,
    ADA_FRESH,
    ADA_OLD,
    ADA_SHIPPED,
    BOB,
    BOB_OLD,
    CLEO,
    CLEO_CHEAP,
    CLEO_OLD,
    UNKNOWN_CUSTOMER,
    UNKNOWN_ORDER,
)

ADA_ORDERS = f"/api/customers/{ADA}/orders"


@pytest.fixture
def container(tmp_path):
    container = build_container(tmp_path)
    yield container
    container.engine.dispose()


@pytest.fixture
def client(container):
    with client_for(container) as client:
        yield client


def test_list_orders_newest_first(client):
    response = client.get(ADA_ORDERS, headers=AUTH)
    assert response.status_code == 200
    assert [order["id"] for order in response.json()] == [
        ADA_FRESH,
        ADA_OLD,
        ADA_SHIPPED,
        ADA_DELIVERED,
        ADA_DELIVERED_LONG_AGO,
    ]
    assert response.json()[3]["total_amount"] == "100.00"
    limited = client.get(ADA_ORDERS, params={"limit": 2}, headers=AUTH)
    assert [order["id"] for order in limited.json()] == [ADA_FRESH, ADA_OLD]


@pytest.mark.parametrize("limit", [0, 101, "many"])
def test_list_orders_rejects_a_bad_limit(client, limit):
    response = client.get(ADA_ORDERS, params={"limit": limit}, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["query", "limit"]


def test_list_orders_of_unknown_customer_is_404(client):
    response = client.get(f"/api/customers/{UNKNOWN_CUSTOMER}/orders", headers=AUTH)
    assert response.status_code == 404


def test_get_order(client):
    response = client.get(f"{ADA_ORDERS}/{ADA_DELIVERED}", headers=AUTH)
    assert response.status_code == 200
    order = response.json()
    assert order["items"] == [
        {"sku": "SKU-1", "product_name": "Kettle", "quantity": 1, "unit_price": "100.00"}
    ]
    assert [change["status"] for change in order["status_history"]] == ["pending", "delivered"]


@pytest.mark.parametrize("suffix", ["", "/cancellation-fee"])
def test_another_customers_order_is_404(client, suffix):
    response = client.get(f"/api/customers/{BOB}/orders/{ADA_FRESH}{suffix}", headers=AUTH)
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "message": f"customer {BOB} has no order {ADA_FRESH}",
    }


def test_cancel_another_customers_order_is_404_and_changes_nothing(client):
    response = client.post(f"/api/customers/{BOB}/orders/{ADA_FRESH}/cancel", json={}, headers=AUTH)
    assert response.status_code == 404
    assert client.get(f"{ADA_ORDERS}/{ADA_FRESH}", headers=AUTH).json()["status"] == "processing"


def test_unknown_order_is_404_and_malformed_order_id_422(client):
    assert client.get(f"{ADA_ORDERS}/{UNKNOWN_ORDER}", headers=AUTH).status_code == 404
    response = client.get(f"{ADA_ORDERS}/ORD-12", headers=AUTH)
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["path", "order_id"]


@pytest.mark.parametrize(
    "customer_id, order_id, fee",
    [
        (ADA, ADA_FRESH, "0.00"),  # within 24 hours
        (ADA, ADA_OLD, "2.50"),  # silver after 24 hours
        (BOB, BOB_OLD, "0.00"),  # gold
        (CLEO, CLEO_OLD, "5.00"),  # bronze
        (CLEO, CLEO_CHEAP, "3.00"),  # never more than the order total
    ],
)
def test_cancellation_fee_by_age_and_tier(client, customer_id, order_id, fee):
    response = client.get(
        f"/api/customers/{customer_id}/orders/{order_id}/cancellation-fee", headers=AUTH
    )
    assert response.status_code == 200
    quote = response.json()
    assert (quote["cancellable"], quote["fee"], quote["currency"]) == (True, fee, "EUR")


def test_cancel_invalidates_the_cached_profile(client):
    before = client.get(f"/api/customers/{ADA}/profile", headers=AUTH).json()
    assert ADA_OLD in [order["id"] for order in before["open_orders"]]
    response = client.post(
        f"{ADA_ORDERS}/{ADA_OLD}/cancel", json={"reason": "found it cheaper"}, headers=AUTH
    )
    assert response.status_code == 200
    assert response.json() == {
        "order_id": ADA_OLD,
        "status": "cancelled",
        "fee": "2.50",
        "currency": "EUR",
    }
    after = client.get(f"/api/customers/{ADA}/profile", headers=AUTH).json()
    assert ADA_OLD not in [order["id"] for order in after["open_orders"]]
    history = client.get(f"{ADA_ORDERS}/{ADA_OLD}", headers=AUTH).json()["status_history"]
    assert history[-1]["status"] == "cancelled"


def test_cancel_without_a_body(client):
    response = client.post(f"{ADA_ORDERS}/{ADA_FRESH}/cancel", headers=AUTH)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["fee"]) == ("cancelled", "0.00")


def test_cancel_with_unknown_field_is_422(client):
    response = client.post(
        f"{ADA_ORDERS}/{ADA_FRESH}/cancel", json={"reason": "x", "fee": "0"}, headers=AUTH
    )
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["body", "fee"]


def test_cancel_shipped_order_is_409_with_the_reason(client):
    response = client.post(f"{ADA_ORDERS}/{ADA_SHIPPED}/cancel", json={}, headers=AUTH)
    assert response.status_code == 409
    assert response.json() == {
        "error": "rule_violation",
        "message": "the order is shipped; only pending or processing orders can be cancelled; "
        "return it instead",
    }


def test_change_shipping_address(client):
    address = {"address": "22 New Road, Manchester M1 1AA"}
    response = client.put(f"{ADA_ORDERS}/{ADA_FRESH}/shipping-address", json=address, headers=AUTH)
    assert response.status_code == 200
    assert response.json()["shipping_address"] == address["address"]
    profile = client.get(f"/api/customers/{ADA}/profile", headers=AUTH).json()
    assert profile["last_order"]["shipping_address"] == address["address"]


def test_change_shipping_address_after_shipping_is_409(client):
    response = client.put(
        f"{ADA_ORDERS}/{ADA_SHIPPED}/shipping-address",
        json={"address": "22 New Road, Manchester"},
        headers=AUTH,
    )
    assert response.status_code == 409
    assert "can only change before it ships" in response.json()["message"]


def test_refund_request(client):
    response = client.post(
        f"{ADA_ORDERS}/{ADA_DELIVERED}/refunds", json={"reason": "arrived broken"}, headers=AUTH
    )
    assert response.status_code == 201
    refund = response.json()
    assert (refund["amount"], refund["status"], refund["order_id"]) == (
        "80.00",
        "requested",
        ADA_DELIVERED,
    )
    listed = client.get(f"/api/customers/{ADA}/refunds", headers=AUTH).json()
    assert refund["id"] in [row["id"] for row in listed]
    profile = client.get(f"/api/customers/{ADA}/profile", headers=AUTH).json()
    assert profile["recent_refunds"][0]["id"] == refund["id"]


def test_over_refund_is_409(client):
    response = client.post(
        f"{ADA_ORDERS}/{ADA_DELIVERED}/refunds",
        json={"amount": "80.01", "reason": "broken"},
        headers=AUTH,
    )
    assert response.status_code == 409
    assert response.json()["message"] == "at most 80.00 can still be refunded for this order"


def test_refund_after_the_window_is_409(client):
    response = client.post(
        f"{ADA_ORDERS}/{ADA_DELIVERED_LONG_AGO}/refunds", json={"reason": "late"}, headers=AUTH
    )
    assert response.status_code == 409
    assert response.json()["message"] == "the 30-day refund window after delivery has passed"


@pytest.mark.parametrize(
    "body, location",
    [
        ({"reason": "broken", "amount": "-5"}, ["body", "amount"]),
        ({"reason": "broken", "amount": "1.234"}, ["body", "amount"]),
        ({"amount": "5"}, ["body", "reason"]),
        ({"reason": "broken", "refund_to": "my friend"}, ["body", "refund_to"]),
    ],
)
def test_invalid_refund_body_is_422(client, body, location):
    response = client.post(f"{ADA_ORDERS}/{ADA_DELIVERED}/refunds", json=body, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
    assert response.json()["details"][0]["loc"] == location


def test_malformed_json_body_is_422(client):
    response = client.post(
        f"{ADA_ORDERS}/{ADA_DELIVERED}/refunds",
        content=b'{"reason": "broken",',
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"] == "malformed_json"
    assert response.json()["message"] == "the request body is not valid JSON"


def test_short_address_is_422(client):
    response = client.put(
        f"{ADA_ORDERS}/{ADA_FRESH}/shipping-address", json={"address": "here"}, headers=AUTH
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    "kind, ids",
    [
        ("refunds", ["RF-000002", "RF-000001"]),
        ("invoices", ["INV-100004"]),
        ("payments", ["PAY-100005", "PAY-100004"]),
        ("tickets", ["T-0000001", "T-0000002"]),
    ],
)
def test_record_lists(client, kind, ids):
    response = client.get(f"/api/customers/{ADA}/{kind}", headers=AUTH)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == ids
    assert client.get(f"/api/customers/{BOB}/{kind}", headers=AUTH).json() == []
    assert client.get(f"/api/customers/{UNKNOWN_CUSTOMER}/{kind}", headers=AUTH).status_code == 404
