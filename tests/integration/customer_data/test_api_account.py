import pytest

from customer_data import audit
from tests.integration.customer_data.api_support import (
    AUTH,
    CLIENT_ID,
    audit_rows,
    build_container,
    client_for,
)
from tests.unit.customer_data.factories import ADA, ADA_SLACK_ID, BOB, NOW, UNKNOWN_CUSTOMER


@pytest.fixture
def container(tmp_path):
    container = build_container(tmp_path)
    yield container
    container.engine.dispose()


@pytest.fixture
def client(container):
    with client_for(container) as client:
        yield client


def test_list_consents(client):
    response = client.get(f"/api/customers/{ADA}/consents", headers=AUTH)
    assert response.status_code == 200
    assert response.json() == [
        {"purpose": "newsletter", "granted": True, "at": NOW.isoformat(), "source": "web"}
    ]


def test_set_consent_shows_in_the_profile_at_once(client):
    client.get(f"/api/customers/{ADA}/profile", headers=AUTH)  # cache the profile
    response = client.put(
        f"/api/customers/{ADA}/consents/newsletter", json={"granted": False}, headers=AUTH
    )
    assert response.status_code == 200
    assert response.json() == {
        "purpose": "newsletter",
        "granted": False,
        "at": NOW.isoformat(),
        "source": "chat",
    }
    profile = client.get(f"/api/customers/{ADA}/profile", headers=AUTH).json()
    assert profile["consents"]["newsletter"] is False


def test_unknown_consent_purpose_is_422(client):
    response = client.put(
        f"/api/customers/{ADA}/consents/telemarketing", json={"granted": True}, headers=AUTH
    )
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["path", "purpose"]


def test_consent_of_unknown_customer_is_404(client):
    response = client.put(
        f"/api/customers/{UNKNOWN_CUSTOMER}/consents/analytics",
        json={"granted": True},
        headers=AUTH,
    )
    assert response.status_code == 404


def test_link_identity_is_idempotent(client):
    link = {"channel": "web", "external_id": "web-visitor-42"}
    for _ in range(2):
        response = client.post(f"/api/customers/{BOB}/identities", json=link, headers=AUTH)
        assert response.status_code == 201
        assert response.json() == link
    by_identity = client.get(
        "/api/profiles/by-identity", params={"channel": "web", "external_id": "web-visitor-42"},
        headers=AUTH,
    )  # fmt: skip
    assert by_identity.json()["customer_id"] == BOB


def test_link_someone_elses_identity_is_409(client):
    response = client.post(
        f"/api/customers/{BOB}/identities",
        json={"channel": "slack", "external_id": ADA_SLACK_ID},
        headers=AUTH,
    )
    assert response.status_code == 409
    assert response.json()["message"] == "this slack id is already linked to another customer"


def test_link_identity_on_unknown_channel_is_422(client):
    response = client.post(
        f"/api/customers/{BOB}/identities",
        json={"channel": "fax", "external_id": "0123"},
        headers=AUTH,
    )
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["body", "channel"]


def test_export(client, container):
    response = client.get(f"/api/customers/{ADA}/export", headers=AUTH)
    assert response.status_code == 200
    export = response.json()
    assert export["customer"]["id"] == ADA
    assert len(export["orders"]) == 5
    assert {"channel": "slack", "external_id": ADA_SLACK_ID, "created_at": NOW.isoformat()} in (
        export["identities"]
    )
    assert [entry.actor for entry in audit_rows(container, audit.EXPORT, ADA)] == [CLIENT_ID]


def test_erasure_then_profile_is_404_and_the_audit_log_stays(client, container):
    assert client.get(f"/api/customers/{ADA}/profile", headers=AUTH).status_code == 200
    response = client.delete(
        f"/api/customers/{ADA}", headers={**AUTH, "X-Audit-Reason": "customer asked in chat"}
    )
    assert response.status_code == 200
    result = response.json()
    assert result["customer_id"] == ADA
    assert result["erased"]["customers"] == 1
    assert result["erased"]["orders"] == 5
    assert client.get(f"/api/customers/{ADA}/profile", headers=AUTH).status_code == 404
    assert client.get(f"/api/customers/{ADA}/orders", headers=AUTH).status_code == 404
    by_identity = client.get(
        "/api/profiles/by-identity", params={"channel": "slack", "external_id": ADA_SLACK_ID},
        headers=AUTH,
    )  # fmt: skip
    assert by_identity.status_code == 404
    assert len(audit_rows(container, audit.READ_PROFILE, ADA)) == 1
    erasures = audit_rows(container, audit.ERASE, ADA)
    assert [(e.actor, e.reason) for e in erasures] == [(CLIENT_ID, "customer asked in chat")]
    assert client.delete(f"/api/customers/{ADA}", headers=AUTH).status_code == 404
