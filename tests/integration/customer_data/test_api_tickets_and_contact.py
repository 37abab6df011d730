import threading
import time

import pytest
import uvicorn

from actions.clients import HttpCustomerDataClient, InvalidRequest, RuleViolation
from customer_data.account_service import CREATE_TICKET, UPDATE_CONTACT_DETAILS
from customer_data.api.app import create_app
from tests.integration.customer_data.api_support import (
    AUTH,
    CLIENT_ID,
    TOKEN,
    audit_rows,
    build_container,
    client_for,
)
from tests.ports import free_port
from tests.unit.customer_data.factories import ADA, BOB, NOW, UNKNOWN_CUSTOMER


@pytest.fixture
def container(tmp_path):
    container = build_container(tmp_path)
    yield container
    container.engine.dispose()


@pytest.fixture
def client(container):
    with client_for(container) as client:
        yield client


def profile_of(client, customer_id):
    return client.get(f"/api/customers/{customer_id}/profile", headers=AUTH).json()


# --- POST /api/customers/{customer_id}/tickets ----------------------------------------------


def test_create_ticket_is_201_open_via_chat_and_audited(client, container):
    response = client.post(
        f"/api/customers/{BOB}/tickets",
        json={"category": "feedback", "subject": "  Great service, thanks!  "},
        headers=AUTH,
    )
    assert response.status_code == 201
    ticket = response.json()
    assert ticket["id"].startswith("T-") and len(ticket["id"]) == 9
    assert {key: value for key, value in ticket.items() if key != "id"} == {
        "category": "feedback",
        "channel": "chat",
        "subject": "Great service, thanks!",
        "status": "open",
        "opened_at": NOW.isoformat(),
        "resolved_at": None,
        "satisfaction": None,
    }
    [entry] = audit_rows(container, CREATE_TICKET, BOB)
    assert (entry.actor, entry.resource, entry.reason) == (
        CLIENT_ID,
        ticket["id"],
        "feedback via chat",
    )


def test_a_new_ticket_shows_in_the_cached_profile_and_the_list_at_once(client):
    before = profile_of(client, BOB)  # now cached
    assert before["open_tickets"] == []
    created = client.post(
        f"/api/customers/{BOB}/tickets",
        json={"category": "delivery", "subject": "The driver was rude"},
        headers=AUTH,
    ).json()

    after = profile_of(client, BOB)
    assert [ticket["id"] for ticket in after["open_tickets"]] == [created["id"]]
    assert after["tickets_last_90_days"] == 1
    listed = client.get(f"/api/customers/{BOB}/tickets", headers=AUTH).json()
    assert [ticket["id"] for ticket in listed] == [created["id"]]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"category": "praise", "subject": "Nice"}, "category"),
        ({"category": "feedback", "subject": "   "}, "subject"),
        ({"category": "feedback", "subject": "x" * 301}, "subject"),
        ({"category": "feedback", "subject": "Nice", "channel": "fax"}, "channel"),
        ({"category": "feedback"}, "subject"),
    ],
)
def test_an_invalid_ticket_is_422_and_nothing_is_written(body, field, client, container):
    response = client.post(f"/api/customers/{BOB}/tickets", json=body, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["body", field]
    assert client.get(f"/api/customers/{BOB}/tickets", headers=AUTH).json() == []
    assert audit_rows(container, CREATE_TICKET, BOB) == []


def test_a_subject_of_300_characters_is_accepted(client):
    response = client.post(
        f"/api/customers/{BOB}/tickets",
        json={"category": "feedback", "subject": "x" * 300},
        headers=AUTH,
    )
    assert response.status_code == 201


def test_ticket_for_an_unknown_customer_is_404(client):
    response = client.post(
        f"/api/customers/{UNKNOWN_CUSTOMER}/tickets",
        json={"category": "feedback", "subject": "Hello"},
        headers=AUTH,
    )
    assert response.status_code == 404


def test_ticket_needs_the_bearer_token(client):
    response = client.post(
        f"/api/customers/{BOB}/tickets", json={"category": "feedback", "subject": "Hello"}
    )
    assert response.status_code == 401


# --- PATCH /api/customers/{customer_id} -----------------------------------------------------


def test_change_email_and_phone_is_normalised_audited_without_the_values(client, container):
    response = client.patch(
        f"/api/customers/{ADA}",
        json={"email": " Ada.King@Example.org ", "phone": "07700 900123"},
        headers=AUTH,
    )
    assert response.status_code == 200
    assert response.json() == {
        "customer_id": ADA,
        "email": "ada.king@example.org",
        "phone": "+447700900123",
    }
    [entry] = audit_rows(container, UPDATE_CONTACT_DETAILS, ADA)
    assert (entry.actor, entry.resource, entry.reason) == (CLIENT_ID, "email,phone", None)


def test_the_cached_profile_and_the_email_identity_follow_the_change(client):
    assert profile_of(client, ADA)["email"] == "ada@example.com"  # now cached
    client.patch(f"/api/customers/{ADA}", json={"email": "ada.king@example.org"}, headers=AUTH)

    profile = profile_of(client, ADA)
    assert (profile["email"], profile["phone"]) == ("ada.king@example.org", "+441632960001")

    def by_email(address):
        return client.get(
            "/api/profiles/by-identity",
            params={"channel": "email", "external_id": address},
            headers=AUTH,
        )

    assert by_email("ada.king@example.org").json()["customer_id"] == ADA
    assert by_email("ada@example.com").status_code == 404


def test_a_new_email_finds_a_customer_who_had_no_email_identity(client):
    client.patch(f"/api/customers/{BOB}", json={"email": "bob.m@example.org"}, headers=AUTH)

    response = client.get(
        "/api/profiles/by-identity",
        params={"channel": "email", "external_id": "bob.m@example.org"},
        headers=AUTH,
    )
    assert response.json()["customer_id"] == BOB


def test_a_shared_phone_number_stays_with_its_first_owner(client):
    client.patch(f"/api/customers/{ADA}", json={"phone": "07700 900123"}, headers=AUTH)
    client.patch(f"/api/customers/{BOB}", json={"phone": "07700 900123"}, headers=AUTH)

    response = client.get(
        "/api/profiles/by-identity",
        params={"channel": "phone", "external_id": "+447700900123"},
        headers=AUTH,
    )
    assert response.json()["customer_id"] == ADA
    assert profile_of(client, BOB)["phone"] == "+447700900123"


def test_only_the_phone_changes_when_only_the_phone_is_given(client):
    response = client.patch(
        f"/api/customers/{BOB}", json={"phone": "+44 7700 900456"}, headers=AUTH
    )
    assert response.json() == {
        "customer_id": BOB,
        "email": "bob@example.com",
        "phone": "+447700900456",
    }


def test_the_same_values_again_change_nothing_and_write_no_audit_entry(client, container):
    response = client.patch(
        f"/api/customers/{BOB}",
        json={"email": "BOB@example.com", "phone": "+441632960001"},
        headers=AUTH,
    )
    assert response.status_code == 200
    assert audit_rows(container, UPDATE_CONTACT_DETAILS, BOB) == []


def test_an_email_of_another_customer_is_409_and_nothing_changes(client, container):
    response = client.patch(
        f"/api/customers/{BOB}",
        json={"email": "ada@example.com", "phone": "+447700900456"},
        headers=AUTH,
    )
    assert response.status_code == 409
    assert response.json() == {
        "error": "rule_violation",
        "message": "this e-mail address belongs to another account",
    }
    assert (profile_of(client, BOB)["email"], profile_of(client, BOB)["phone"]) == (
        "bob@example.com",
        "+441632960001",
    )
    assert audit_rows(container, UPDATE_CONTACT_DETAILS, BOB) == []


@pytest.mark.parametrize(
    "body, location",
    [
        ({"email": "not-an-address"}, ["body", "email"]),
        ({"phone": "call me maybe"}, ["body", "phone"]),
        ({"phone": "0770 09"}, ["body", "phone"]),
        ({}, ["body", "__root__"]),
        ({"email": None, "phone": None}, ["body", "__root__"]),
        ({"email": "ada@example.org", "name": "Ada"}, ["body", "name"]),
    ],
)
def test_invalid_contact_details_are_422(body, location, client, container):
    response = client.patch(f"/api/customers/{ADA}", json=body, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == location
    assert profile_of(client, ADA)["email"] == "ada@example.com"
    assert audit_rows(container, UPDATE_CONTACT_DETAILS, ADA) == []


def test_contact_details_of_an_unknown_customer_are_404(client):
    response = client.patch(
        f"/api/customers/{UNKNOWN_CUSTOMER}", json={"email": "new@example.org"}, headers=AUTH
    )
    assert response.status_code == 404


# --- the action server's HTTP client against the API on a real socket -----------------------


@pytest.fixture
def http_client(container):
    port = free_port()
    config = uvicorn.Config(
        create_app(container), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the API did not start"
        time.sleep(0.05)
    client = HttpCustomerDataClient(f"http://127.0.0.1:{port}", TOKEN)
    yield client
    client.close()
    server.should_exit = True
    thread.join(timeout=10)


def test_client_creates_a_ticket_and_changes_contact_details_over_http(http_client):
    ticket = http_client.create_ticket(BOB, "feedback", "Lovely kettle")
    assert (ticket.category, ticket.channel, ticket.status) == ("feedback", "chat", "open")
    assert [t.id for t in http_client.list_tickets(BOB)] == [ticket.id]

    result = http_client.update_contact_details(
        BOB, email="Bob.M@Example.org", phone="07700 900456"
    )
    assert (result.email, result.phone) == ("bob.m@example.org", "+447700900456")
    assert http_client.get_profile(BOB).email == "bob.m@example.org"


def test_client_gets_the_services_refusals_over_http(http_client):
    with pytest.raises(RuleViolation) as refused:
        http_client.update_contact_details(BOB, email="ada@example.com")
    assert refused.value.reason == "this e-mail address belongs to another account"
    with pytest.raises(InvalidRequest) as invalid:
        http_client.update_contact_details(BOB, phone="1234")
    assert invalid.value.details[0]["loc"] == ["body", "phone"]
