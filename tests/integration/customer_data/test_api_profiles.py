import json

import pytest

from customer_data import audit
from customer_data.cache import profile_key
from tests.integration.customer_data.api_support import (
    AUTH,
    CLIENT_ID,
    audit_rows,
    build_container,
    client_for,
)
from tests.unit.customer_data.factories import ADA, ADA_FRESH, ADA_SLACK_ID, UNKNOWN_CUSTOMER


@pytest.fixture
def container(tmp_path):
    container = build_container(tmp_path)
    yield container
    container.engine.dispose()


@pytest.fixture
def client(container):
    with client_for(container) as client:
        yield client


def test_profile_happy_path(client):
    response = client.get(f"/api/customers/{ADA}/profile", headers=AUTH)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    profile = response.json()
    assert profile["customer_id"] == ADA
    assert profile["first_name"] == "Ada"
    assert profile["segment"] == "high_value"
    assert profile["total_spend"] == "299.60"
    assert profile["last_order"]["id"] == ADA_FRESH
    assert profile["consents"]["newsletter"] is True


def test_second_read_is_served_from_the_cache_as_the_same_bytes(client, container):
    first = client.get(f"/api/customers/{ADA}/profile", headers=AUTH)
    second = client.get(f"/api/customers/{ADA}/profile", headers=AUTH)
    assert first.content == second.content
    assert container.profiles.cache.get(profile_key(ADA)) == first.content
    assert container.profiles.stats["hits"] == 1
    assert container.profiles.stats["misses"] == 1


def test_every_profile_read_is_audited(client, container):
    client.get(f"/api/customers/{ADA}/profile", headers=AUTH)
    client.get(
        f"/api/customers/{ADA}/profile", headers={**AUTH, "X-Audit-Reason": "refund question"}
    )
    client.get("/api/profiles/by-identity?channel=slack&external_id=U0ADA", headers=AUTH)
    entries = audit_rows(container, audit.READ_PROFILE, ADA)
    assert [(e.actor, e.resource, e.reason) for e in entries] == [
        (CLIENT_ID, "profile", "support_conversation"),
        (CLIENT_ID, "profile", "refund question"),
        (CLIENT_ID, "profile", "support_conversation"),
    ]


def test_audit_entries_are_written_on_shutdown(container):
    with client_for(container) as client:
        client.get(f"/api/customers/{ADA}/profile", headers=AUTH)
    # After the lifespan ended nothing may wait in memory.
    assert container.extras["audit_log"].pending == 0
    assert len(audit_rows(container, audit.READ_PROFILE, ADA)) == 1


def test_profile_by_identity(client):
    response = client.get(
        "/api/profiles/by-identity", params={"channel": "slack", "external_id": ADA_SLACK_ID},
        headers=AUTH,
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["customer_id"] == ADA
    by_email = client.get(
        "/api/profiles/by-identity", params={"channel": "email", "external_id": "ADA@example.com"},
        headers=AUTH,
    )  # fmt: skip
    assert json.loads(by_email.content) == response.json()


def test_profile_by_unknown_identity_is_404(client, container):
    response = client.get(
        "/api/profiles/by-identity", params={"channel": "slack", "external_id": "U0NOBODY"},
        headers=AUTH,
    )  # fmt: skip
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "message": "no customer is linked to this slack id",
    }


def test_profile_by_identity_on_unknown_channel_is_422(client):
    response = client.get(
        "/api/profiles/by-identity", params={"channel": "fax", "external_id": "123"}, headers=AUTH
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    assert body["details"][0]["loc"] == ["query", "channel"]


def test_unknown_customer_is_404_and_not_audited(client, container):
    response = client.get(f"/api/customers/{UNKNOWN_CUSTOMER}/profile", headers=AUTH)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert audit_rows(container, audit.READ_PROFILE, UNKNOWN_CUSTOMER) == []


@pytest.mark.parametrize("customer_id", ["C123", "c0000001", "C00000011", "ORD-100001"])
def test_malformed_customer_id_is_422(client, customer_id):
    response = client.get(f"/api/customers/{customer_id}/profile", headers=AUTH)
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["path", "customer_id"]
