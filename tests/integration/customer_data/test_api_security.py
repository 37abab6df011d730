"""Authentication, rate limiting, error shape, health and the OpenAPI document."""

import pytest
from sqlalchemy import text

from tests.integration.customer_data.api_support import AUTH, build_container, client_for
from tests.unit.customer_data.factories import ADA

PROFILE = f"/api/customers/{ADA}/profile"


@pytest.fixture
def container(tmp_path):
    container = build_container(tmp_path)
    yield container
    container.engine.dispose()


@pytest.fixture
def client(container):
    with client_for(container) as client:
        yield client


MISSING = "missing bearer token: send 'Authorization: Bearer <token>'"


@pytest.mark.parametrize(
    "headers, message",
    [
        ({}, MISSING),
        ({"Authorization": "Basic dGVzdA=="}, MISSING),
        ({"Authorization": "Bearer wrong-token"}, "the bearer token is not valid"),
    ],
)
def test_missing_or_wrong_token_is_401(client, headers, message):
    response = client.get(PROFILE, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"error": "unauthorized", "message": message}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_without_configured_tokens_everything_is_401(tmp_path):
    container = build_container(tmp_path, api_tokens="")
    with client_for(container) as client:
        response = client.get(PROFILE, headers=AUTH)
    assert response.status_code == 401
    assert "set CUSTOMER_DATA_API_TOKENS" in response.json()["message"]
    container.engine.dispose()


def test_rate_limit_answers_429_with_retry_after(tmp_path):
    container = build_container(tmp_path, rate_limit_per_minute=2)
    with client_for(container) as client:
        statuses = [client.get(PROFILE, headers=AUTH).status_code for _ in range(3)]
        refused = client.get(PROFILE, headers=AUTH)
        health = client.get("/health")
    assert statuses == [200, 200, 429]
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 30
    assert health.status_code == 200  # not rate limited
    container.engine.dispose()


def test_health_needs_no_token(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "memory"}


def test_health_reports_a_database_error(tmp_path):
    container = build_container(tmp_path, database_url=f"sqlite:///{tmp_path}/missing/dir/x.db")
    container.engine.dispose()
    (tmp_path / "missing" / "dir").rename(tmp_path / "gone")  # the database file disappears
    with client_for(container) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "error", "cache": "memory"}


def test_unexpected_error_is_500_without_stack_trace(container):
    with container.engine.begin() as connection:
        connection.execute(text("DROP TABLE refunds"))
    with client_for(container, raise_server_exceptions=False) as client:
        response = client.get(f"/api/customers/{ADA}/refunds", headers=AUTH)
    assert response.status_code == 500
    assert response.json() == {"error": "internal_error", "message": "internal server error"}
    assert "Traceback" not in response.text


def test_unknown_path_is_json_404(client):
    response = client.get("/api/nothing-here", headers=AUTH)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_openapi_documents_every_endpoint(client):
    document = client.get("/openapi.json").json()
    assert document["info"]["title"] == "Brightcart customer data service"
    operations = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    assert operations >= {
        ("GET", "/health"),
        ("GET", "/api/customers/{customer_id}/profile"),
        ("GET", "/api/profiles/by-identity"),
        ("GET", "/api/customers/{customer_id}/orders"),
        ("GET", "/api/customers/{customer_id}/orders/{order_id}"),
        ("GET", "/api/customers/{customer_id}/orders/{order_id}/cancellation-fee"),
        ("POST", "/api/customers/{customer_id}/orders/{order_id}/cancel"),
        ("PUT", "/api/customers/{customer_id}/orders/{order_id}/shipping-address"),
        ("POST", "/api/customers/{customer_id}/orders/{order_id}/refunds"),
        ("GET", "/api/customers/{customer_id}/refunds"),
        ("GET", "/api/customers/{customer_id}/invoices"),
        ("GET", "/api/customers/{customer_id}/payments"),
        ("GET", "/api/customers/{customer_id}/tickets"),
        ("GET", "/api/customers/{customer_id}/consents"),
        ("PUT", "/api/customers/{customer_id}/consents/{purpose}"),
        ("POST", "/api/customers/{customer_id}/identities"),
        ("GET", "/api/customers/{customer_id}/export"),
        ("DELETE", "/api/customers/{customer_id}"),
        ("POST", "/webhooks/crm"),
    }
    profile = document["paths"]["/api/customers/{customer_id}/profile"]["get"]
    assert profile["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Profile"
    }
    assert {"401", "404", "409", "422", "429"} <= set(profile["responses"])
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert client.get("/docs").status_code == 200
