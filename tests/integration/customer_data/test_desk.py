"""The agent desk and the web page's routes, through the real app on a seeded SQLite file."""

import pytest

from actions.identity import verify_customer_token
from customer_data import audit
from customer_data.api.routes.handoffs import HANDOFF_DESK
from customer_data.desk.passwords import hash_password
from customer_data.desk.sessions import COOKIE_NAME
from customer_data.handoffs.business_hours import BusinessHours
from customer_data.handoffs.delivery import ACTION_HANDOFF_RETURNED, RecordingDelivery
from customer_data.handoffs.service import HandoffDesk
from tests.integration.customer_data.api_support import (
    AUTH,
    audit_rows,
    build_container,
    client_for,
)
from tests.unit.customer_data.factories import ADA, BOB, CLEO

PASSWORD = "desk-pass"  # noqa: S105 (a test password)
WEB_SECRET = "web-token-secret-for-tests-0123456789"  # noqa: S105


@pytest.fixture
def delivery():
    return RecordingDelivery()


def make_container(tmp_path, delivery, **settings):
    container = build_container(
        tmp_path,
        desk_agents=f"sam:{hash_password(PASSWORD)}",
        web_token_secret=WEB_SECRET,
        **settings,
    )
    container.extras[HANDOFF_DESK] = HandoffDesk(
        hours=BusinessHours.parse("mon-sun 00:00-24:00", "Europe/London"),
        agents_on_shift=2,
        handling_minutes=6,
        delivery=delivery,
    )
    return container


@pytest.fixture
def client(tmp_path, delivery):
    container = make_container(tmp_path, delivery)
    with client_for(container) as client:
        client.container = container
        yield client
    container.engine.dispose()


def log_in(client, password=PASSWORD):
    return client.post(
        "/desk/login",
        content=f"username=sam&password={password}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )


def queue_handoff(client, conversation_id="conv-1", customer_id=ADA):
    body = {
        "conversation_id": conversation_id,
        "channel": "socketio",
        "customer_id": customer_id,
        "reason": "customer_request",
        "transcript": [{"author": "customer", "text": "a person please"}],
    }
    response = client.post("/api/handoffs", json=body, headers=AUTH)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_without_a_session_the_desk_redirects_and_its_api_refuses(client):
    response = client.get("/desk", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/desk/login")
    assert client.get("/desk/api/handoffs").status_code == 401
    assert client.get("/desk/login").status_code == 200


def test_a_wrong_password_gets_no_cookie(client):
    response = log_in(client, password="nope")
    assert response.status_code == 401
    assert "Wrong name or password" in response.text
    assert COOKIE_NAME not in response.cookies


def test_the_session_cookie_is_httponly_strict_and_scoped_to_the_desk(client):
    response = log_in(client)
    assert (response.status_code, response.headers["location"]) == (303, "/desk")
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/desk" in cookie
    assert "Signed in as" in client.get("/desk").text


def test_an_agent_works_a_handoff_from_the_desk(client, delivery):
    handoff_id = queue_handoff(client)
    log_in(client)
    queue = client.get("/desk/api/handoffs").json()
    assert [h["id"] for h in queue] == [handoff_id]

    detail = client.get(f"/desk/api/handoffs/{handoff_id}").json()
    assert detail["profile"]["customer_id"] == ADA
    assert [m["text"] for m in detail["messages"]] == ["a person please"]
    assert [row.actor for row in audit_rows(client.container, audit.READ_PROFILE, ADA)] == [
        "desk:sam"
    ]

    reply = client.post(f"/desk/api/handoffs/{handoff_id}/messages", json={"text": "Hi, Sam here"})
    assert reply.status_code == 201 and reply.json()["delivered"] is True
    assert reply.json()["agent"] == "sam"
    assert (
        client.post(f"/desk/api/handoffs/{handoff_id}/messages", json={"text": " "}).status_code
        == 422
    )

    back = client.post(f"/desk/api/handoffs/{handoff_id}/hand-back").json()
    assert back["handoff"]["status"] == "returned"
    assert client.get("/desk/api/handoffs").json() == []
    assert delivery.actions[-1] == ("conv-1", ACTION_HANDOFF_RETURNED)
    assert client.post(f"/desk/api/handoffs/{handoff_id}/close").status_code == 409


def test_the_page_serves_its_files_only(client):
    assert client.get("/webchat", follow_redirects=False).headers["location"] == "/webchat/"
    assert client.get("/webchat/package.json").status_code == 404
    assert client.get("/webchat/node_modules/rasa-webchat/package.json").status_code == 404
    assert client.get("/webchat/").status_code == 200
    assert client.get("/webchat/config.json").json() == {
        "socketUrl": "http://localhost:5005",
        "devMode": False,
    }


def test_the_dev_sign_in_exists_only_in_dev_mode(client, tmp_path, delivery):
    assert client.get(f"/dev/token?customer_id={ADA}").status_code == 404
    container = make_container(tmp_path / "dev", delivery, dev_mode=True)
    with client_for(container) as dev:
        assert {c["customer_id"] for c in dev.get("/dev/customers").json()} == {ADA, BOB, CLEO}
        signed = dev.get(f"/dev/token?customer_id={BOB}").json()
        assert verify_customer_token(signed["token"], WEB_SECRET) == BOB
        assert dev.get("/dev/token?customer_id=C9999999").status_code == 404
        assert dev.get("/dev/token?customer_id=nope").status_code == 422
    container.engine.dispose()
