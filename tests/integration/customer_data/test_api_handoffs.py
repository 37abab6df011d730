from datetime import timedelta

import pytest

from customer_data import audit
from customer_data.api.routes.common import CLOCK
from customer_data.api.routes.handoffs import HANDOFF_DESK
from customer_data.handoffs.business_hours import BusinessHours
from customer_data.handoffs.delivery import (
    ACTION_HANDOFF_CLOSED,
    ACTION_HANDOFF_RETURNED,
    RecordingDelivery,
)
from customer_data.handoffs.service import HandoffDesk
from tests.integration.customer_data.api_support import (
    AUTH,
    CLIENT_ID,
    TOKEN,
    audit_rows,
    build_container,
    client_for,
)
from tests.unit.customer_data.factories import ADA, BOB, CLEO, NOW, UNKNOWN_CUSTOMER

AGENT_TOKEN = "desk-token"
AGENT_AUTH = {"Authorization": f"Bearer {AGENT_TOKEN}"}
HOURS = "mon-fri 08:00-20:00; sat 09:00-17:00"  # NOW is Saturday 13:00 in London: open


@pytest.fixture
def delivery():
    return RecordingDelivery()


@pytest.fixture
def container(tmp_path, delivery):
    container = build_container(
        tmp_path, api_tokens=f"{CLIENT_ID}:{TOKEN},agent-desk:{AGENT_TOKEN}"
    )
    container.extras[HANDOFF_DESK] = HandoffDesk(
        hours=BusinessHours.parse(HOURS, "Europe/London"),
        agents_on_shift=2,
        handling_minutes=6,
        delivery=delivery,
    )
    yield container
    container.engine.dispose()


@pytest.fixture
def client(container):
    with client_for(container) as client:
        yield client


def handoff_request(conversation_id="conv-1", **overrides):
    body = {
        "conversation_id": conversation_id,
        "channel": "socketio",
        "customer_id": CLEO,
        "reason": "customer_request",
        "summary": {
            "intents": ["track_order", "nlu_fallback"],
            "entities": {"order_id": "ORD-300001"},
            "tried": ["order status", "clarification"],
            "last_message": "this is useless",
        },
        "transcript": [
            {"author": "customer", "text": "where is ORD-300001"},
            {"author": "assistant", "text": "It's being prepared."},
        ],
    }
    body.update(overrides)
    return body


def create(client, conversation_id="conv-1", **overrides):
    body = handoff_request(conversation_id, **overrides)
    response = client.post("/api/handoffs", json=body, headers=AUTH)
    assert response.status_code == 201, response.text
    return response.json()


def test_priority_comes_from_the_stored_segment_not_the_callers(client):
    # ADA's stored segment is high_value; the caller claims "new".
    handoff = create(client, customer_id=ADA, segment="new", reason="complaint")
    assert handoff["segment"] == "high_value"
    assert handoff["priority"] == "urgent"
    assert handoff["priority_rule"] == "complaint from a high-value or at-risk customer"
    assert handoff["status"] == "queued"
    assert handoff["within_business_hours"] is True
    sla = NOW + timedelta(minutes=5)
    assert handoff["sla_due_at"] == sla.isoformat()


def test_callers_segment_is_used_when_none_is_stored(client):
    handoff = create(client, customer_id=BOB, segment="at_risk")
    assert (handoff["segment"], handoff["priority"]) == ("at_risk", "high")


def test_anonymous_visitors_are_queued_low(client):
    handoff = create(client, customer_id=None)
    assert (handoff["customer_id"], handoff["priority"]) == (None, "low")


def test_an_open_handoff_is_returned_again_not_duplicated(client):
    first = create(client)
    second = create(client, reason="complaint")
    assert second["id"] == first["id"]


def test_queue_is_ordered_by_priority_then_waiting_time(client, container):
    low = create(client, "anon", customer_id=None)
    normal = create(client, "cleo", customer_id=CLEO)
    urgent = create(client, "ada", customer_id=ADA, reason="complaint")
    response = client.get("/api/handoffs", headers=AGENT_AUTH)
    assert response.status_code == 200
    assert [h["id"] for h in response.json()] == [urgent["id"], normal["id"], low["id"]]
    waits = [h["expected_wait_minutes"] for h in response.json()]
    assert waits == sorted(waits) and waits[0] == 3  # 1 ahead-or-self x 6 min / 2 agents


def test_outside_business_hours_the_sla_starts_at_opening(client, container):
    sunday = NOW + timedelta(days=1)
    container.extras[CLOCK] = lambda: sunday
    availability = client.get("/api/handoffs/availability", headers=AUTH).json()
    assert availability["open"] is False
    monday_8_london = "2024-06-17T07:00:00"
    assert availability["next_opening"] == monday_8_london
    handoff = create(client)
    assert handoff["within_business_hours"] is False
    assert handoff["sla_due_at"] == "2024-06-17T07:30:00"  # normal: 30 minutes after opening
    assert handoff["expected_wait_minutes"] > 19 * 60


def test_agent_reads_summary_transcript_and_audited_profile(client, container):
    handoff = create(client)
    response = client.get(f"/api/handoffs/{handoff['id']}", headers=AGENT_AUTH)
    assert response.status_code == 200
    detail = response.json()
    assert detail["summary"]["entities"] == {"order_id": "ORD-300001"}
    assert [m["author"] for m in detail["messages"]] == ["customer", "assistant"]
    assert detail["profile"]["customer_id"] == CLEO
    reads = audit_rows(container, audit.READ_PROFILE, CLEO)
    assert [(r.actor, r.reason) for r in reads] == [("agent-desk", "handoff")]


def test_the_assistants_client_may_not_work_the_queue(client):
    handoff = create(client)
    assert client.get("/api/handoffs", headers=AUTH).status_code == 403
    response = client.post(
        f"/api/handoffs/{handoff['id']}/messages", json={"agent": "x", "text": "hi"}, headers=AUTH
    )
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_customer_messages_are_appended_while_open(client):
    handoff = create(client)
    body = {"conversation_id": "conv-1", "text": "hello? anyone?"}
    response = client.post("/api/handoffs/customer-messages", json=body, headers=AUTH)
    assert response.status_code == 201
    detail = client.get(f"/api/handoffs/{handoff['id']}", headers=AGENT_AUTH).json()
    assert detail["messages"][-1]["text"] == "hello? anyone?"
    unknown = {"conversation_id": "nobody", "text": "hi"}
    response = client.post("/api/handoffs/customer-messages", json=unknown, headers=AUTH)
    assert response.status_code == 404


def test_agent_reply_is_stored_delivered_and_claims_the_handoff(client, delivery):
    handoff = create(client)
    body = {"agent": "sam", "text": "Hi Cleo, I'm looking at your order now."}
    response = client.post(f"/api/handoffs/{handoff['id']}/messages", json=body, headers=AGENT_AUTH)
    assert response.status_code == 201
    assert response.json()["delivered"] is True
    assert response.json()["delivered_at"] == NOW.isoformat()
    assert delivery.messages == [("conv-1", "sam", body["text"])]
    listed = client.get("/api/handoffs", headers=AGENT_AUTH).json()
    assert (listed[0]["status"], listed[0]["agent"]) == ("assigned", "sam")


def test_reply_is_kept_when_the_assistant_is_unreachable(client, delivery):
    delivery.accepting = False
    handoff = create(client)
    body = {"agent": "sam", "text": "Are you still there?"}
    response = client.post(f"/api/handoffs/{handoff['id']}/messages", json=body, headers=AGENT_AUTH)
    assert response.status_code == 201
    assert response.json()["delivered"] is False
    detail = client.get(f"/api/handoffs/{handoff['id']}", headers=AGENT_AUTH).json()
    assert detail["messages"][-1]["text"] == "Are you still there?"
    assert detail["messages"][-1]["delivered_at"] is None


def test_close_and_hand_back_run_the_assistants_actions(client, delivery):
    first = create(client, "conv-a")
    second = create(client, "conv-b")
    closed = client.post(
        f"/api/handoffs/{first['id']}/close", json={"agent": "sam"}, headers=AGENT_AUTH
    )
    returned = client.post(
        f"/api/handoffs/{second['id']}/hand-back", json={"agent": "kim"}, headers=AGENT_AUTH
    )
    assert closed.status_code == returned.status_code == 200
    assert closed.json()["handoff"]["status"] == "closed"
    assert returned.json()["handoff"]["status"] == "returned"
    assert delivery.actions == [
        ("conv-a", ACTION_HANDOFF_CLOSED),
        ("conv-b", ACTION_HANDOFF_RETURNED),
    ]
    again = client.post(
        f"/api/handoffs/{first['id']}/close", json={"agent": "sam"}, headers=AGENT_AUTH
    )
    assert again.status_code == 409
    # A new request from the same conversation opens a new handoff.
    assert create(client, "conv-a")["id"] != first["id"]


def test_claim_by_a_second_agent_is_refused(client):
    handoff = create(client)
    url = f"/api/handoffs/{handoff['id']}/claim"
    assert client.post(url, json={"agent": "sam"}, headers=AGENT_AUTH).status_code == 200
    response = client.post(url, json={"agent": "kim"}, headers=AGENT_AUTH)
    assert response.status_code == 409
    assert "sam" in response.json()["message"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"reason": "bored"}, "reason"),
        ({"customer_id": "42"}, "customer_id"),
        ({"channel": "Slack Channel!"}, "channel"),
        ({"conversation_id": ""}, "conversation_id"),
        ({"transcript": [{"author": "robot", "text": "hi"}]}, "author"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_bad_handoff_requests_are_refused_with_the_field(client, overrides, field):
    response = client.post("/api/handoffs", json=handoff_request(**overrides), headers=AUTH)
    assert response.status_code == 422
    assert field in response.text
    assert client.get("/api/handoffs", headers=AGENT_AUTH).json() == []


def test_unknown_customer_and_handoff_are_404(client):
    response = client.post(
        "/api/handoffs", json=handoff_request(customer_id=UNKNOWN_CUSTOMER), headers=AUTH
    )
    assert response.status_code == 404
    assert client.get("/api/handoffs/999", headers=AGENT_AUTH).status_code == 404
    assert client.get("/api/handoffs?status=lost", headers=AGENT_AUTH).status_code == 422


def test_satisfaction_ratings_are_stored_and_summarized(client):
    for rating, human in ((5, True), (3, True), (4, False)):
        body = {
            "conversation_id": "conv-1",
            "customer_id": CLEO,
            "segment": "standard",
            "flow": "track_order",
            "human_involved": human,
            "rating": rating,
            "comment": "quick",
        }
        response = client.post("/api/satisfaction", json=body, headers=AUTH)
        assert response.status_code == 201, response.text
    summary = client.get("/api/satisfaction/summary", headers=AUTH).json()
    assert summary == [
        {"flow": "track_order", "human_involved": False, "ratings": 1, "average": 4.0},
        {"flow": "track_order", "human_involved": True, "ratings": 2, "average": 4.0},
    ]


@pytest.mark.parametrize("rating", [0, 6, "five", None])
def test_bad_ratings_are_refused(client, rating):
    body = {"conversation_id": "c", "flow": "track_order", "human_involved": False}
    response = client.post("/api/satisfaction", json={**body, "rating": rating}, headers=AUTH)
    assert response.status_code == 422
    assert client.get("/api/satisfaction/summary", headers=AUTH).json() == []


def test_erasure_removes_the_customers_handoffs(client):
    create(client)
    response = client.delete(f"/api/customers/{CLEO}", headers=AUTH)
    assert response.status_code == 200, response.text
    assert response.json()["erased"]["handoffs"] == 1
    assert response.json()["erased"]["handoff_messages"] == 2
    assert client.get("/api/handoffs", headers=AGENT_AUTH).json() == []
