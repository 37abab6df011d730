"""The signed CRM webhook, through a real FastAPI app on a SQLite file."""

import json
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from customer_data.bootstrap import bootstrap
from customer_data.cache import InMemoryTTLCache, profile_key
from customer_data.db import create_schema, unit_of_work
from customer_data.models import (
    AuditEntry,
    Base,
    Consent,
    Customer,
    Order,
    OrderStatusEvent,
    Ticket,
    WebhookEvent,
)
from customer_data.settings import Settings
from customer_data.webhooks import (
    MAX_BODY_BYTES,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WEBHOOK_PATH,
    router,
    sign,
)

SECRET = "test-secret"
CUSTOMER = "C0000001"
OTHER_CUSTOMER = "C0000002"
ORDER = "ORD-100001"
TICKET = "T-1000001"
PLACED_AT = datetime(2024, 5, 1, 9, 0)
OCCURRED_AT = "2024-05-03T12:00:00"


def make_container(tmp_path, secret=SECRET):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/db.sqlite",
        webhook_secret=secret,
        webhook_tolerance_seconds=300,
    )
    container = bootstrap(settings, cache=InMemoryTTLCache())
    create_schema(container.engine)
    with unit_of_work(container.session_factory) as session:
        for customer_id, email in (
            (CUSTOMER, "ada@example.com"),
            (OTHER_CUSTOMER, "bo@example.com"),
        ):
            session.add(
                Customer(
                    id=customer_id,
                    name="Ada Lovelace",
                    email=email,
                    country="GB",
                    created_at=PLACED_AT,
                    tier="bronze",
                    updated_at=PLACED_AT,
                )
            )
        session.flush()
        session.add(
            Order(
                id=ORDER,
                customer_id=CUSTOMER,
                status="processing",
                placed_at=PLACED_AT,
                currency="EUR",
                total_amount=Decimal("42.00"),
                shipping_address="1 Analytical Row, London",
                updated_at=PLACED_AT,
                status_history=[
                    OrderStatusEvent(status="pending", at=PLACED_AT, source="system"),
                    OrderStatusEvent(
                        status="processing", at=PLACED_AT + timedelta(hours=1), source="system"
                    ),
                ],
            )
        )
        session.add(
            Ticket(
                id=TICKET,
                customer_id=CUSTOMER,
                category="delivery",
                channel="chat",
                subject="Where is my parcel?",
                status="open",
                opened_at=PLACED_AT,
                updated_at=PLACED_AT,
            )
        )
    return container


@pytest.fixture
def container(tmp_path):
    container = make_container(tmp_path)
    yield container
    container.engine.dispose()


def make_client(container) -> TestClient:
    app = FastAPI()
    app.include_router(router)
    app.state.container = container
    return TestClient(app)


@pytest.fixture
def client(container):
    with make_client(container) as client:
        yield client


def event(event_type, data, event_id="evt-1", occurred_at=OCCURRED_AT):
    return {"id": event_id, "type": event_type, "occurred_at": occurred_at, "data": data}


def post(client, body, secret=SECRET, timestamp=None, headers=None):
    """Signs and posts `body` (a dict is JSON-encoded); `headers` override the signed ones."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    sent = {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, raw),
        "Content-Type": "application/json",
    }
    sent.update(headers or {})
    return client.post(WEBHOOK_PATH, content=raw, headers={k: v for k, v in sent.items() if v})


def dump(container):
    """Every row of every table, to show that a rejected event wrote nothing."""
    with container.engine.connect() as connection:
        return {
            table.name: [tuple(row) for row in connection.execute(select(table))]
            for table in Base.metadata.sorted_tables
        }


def load(container, model, key):
    with unit_of_work(container.session_factory) as session:
        return session.get(model, key)


def rows(container, model):
    with unit_of_work(container.session_factory) as session:
        return session.execute(select(model)).scalars().all()


def assert_error(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code
    assert body["message"]
    return body


# --- each event type is applied -----------------------------------------------------------------


def test_profile_update_is_applied_with_an_audit_entry(client, container):
    response = post(
        client,
        event(
            "profile.updated",
            {
                "customer_id": CUSTOMER,
                "name": "Ada King",
                "email": "Ada@Example.org",
                "tier": "gold",
            },
        ),
    )

    assert response.status_code == 200, response.text
    assert response.json() == {"status": "applied", "event_id": "evt-1"}
    customer = load(container, Customer, CUSTOMER)
    assert (customer.name, customer.email, customer.tier) == ("Ada King", "ada@example.org", "gold")
    assert customer.country == "GB"  # fields left out are kept
    assert customer.updated_at > PLACED_AT
    [audit] = rows(container, AuditEntry)
    assert (audit.actor, audit.action, audit.customer_id) == (
        "crm-webhook",
        "profile.updated",
        CUSTOMER,
    )
    assert "evt-1" in audit.reason
    [recorded] = rows(container, WebhookEvent)
    assert (recorded.event_id, recorded.event_type) == ("evt-1", "profile.updated")


def test_profile_update_can_clear_a_nullable_field(client, container):
    response = post(client, event("profile.updated", {"customer_id": CUSTOMER, "phone": None}))

    assert response.status_code == 200, response.text
    assert load(container, Customer, CUSTOMER).phone is None


def test_order_status_change_appends_history(client, container):
    response = post(
        client,
        event(
            "order.status_changed",
            {"order_id": ORDER, "status": "shipped", "delivery_estimate": "2024-05-06"},
        ),
    )

    assert response.status_code == 200, response.text
    order = load(container, Order, ORDER)
    assert order.status == "shipped"
    assert order.delivery_estimate == date(2024, 5, 6)
    assert order.delivered_at is None
    history = [
        (entry.status, entry.at, entry.source)
        for entry in rows(container, OrderStatusEvent)
        if entry.source == "crm"
    ]
    assert history == [("shipped", datetime(2024, 5, 3, 12, 0), "crm")]
    [audit] = rows(container, AuditEntry)
    assert (audit.action, audit.customer_id, audit.resource) == (
        "order.status_changed",
        CUSTOMER,
        ORDER,
    )


def test_delivered_sets_delivered_at_from_the_event_time_in_utc(client, container):
    response = post(
        client,
        event(
            "order.status_changed",
            {"order_id": ORDER, "status": "delivered", "at": "2024-05-04T16:30:00+02:00"},
        ),
    )

    assert response.status_code == 200, response.text
    order = load(container, Order, ORDER)
    assert order.status == "delivered"
    assert order.delivered_at == datetime(2024, 5, 4, 14, 30)


def test_an_older_status_change_goes_to_the_history_only(client, container):
    post(client, event("order.status_changed", {"order_id": ORDER, "status": "shipped"}))
    late = event(
        "order.status_changed",
        {"order_id": ORDER, "status": "processing", "at": "2024-05-02T08:00:00"},
        event_id="evt-late",
    )

    response = post(client, late)

    assert response.status_code == 200, response.text
    with unit_of_work(container.session_factory) as session:
        order = session.get(Order, ORDER)
        assert order.status == "shipped"
        history = [(entry.status, entry.source) for entry in order.status_history]
    assert history == [
        ("pending", "system"),
        ("processing", "system"),
        ("processing", "crm"),  # 2024-05-02, before the shipment
        ("shipped", "crm"),
    ]


def test_ticket_update_changes_an_existing_ticket(client, container):
    response = post(
        client,
        event(
            "ticket.updated",
            {"ticket_id": TICKET, "customer_id": CUSTOMER, "status": "resolved", "satisfaction": 5},
        ),
    )

    assert response.status_code == 200, response.text
    ticket = load(container, Ticket, TICKET)
    assert (ticket.status, ticket.satisfaction) == ("resolved", 5)
    assert ticket.resolved_at == datetime(2024, 5, 3, 12, 0)  # defaults to the event time
    assert ticket.subject == "Where is my parcel?"


def test_ticket_update_creates_a_missing_ticket(client, container):
    data = {
        "ticket_id": "T-2000002",
        "customer_id": CUSTOMER,
        "category": "refunds",
        "subject": "Refund for a broken kettle",
    }

    response = post(client, event("ticket.updated", data))

    assert response.status_code == 200, response.text
    ticket = load(container, Ticket, "T-2000002")
    assert (ticket.customer_id, ticket.category, ticket.status, ticket.channel) == (
        CUSTOMER,
        "refunds",
        "open",
        "email",
    )
    assert ticket.opened_at == datetime(2024, 5, 3, 12, 0)
    assert ticket.resolved_at is None


def test_a_missing_ticket_without_enough_fields_is_not_found(client, container):
    before = dump(container)
    data = {"ticket_id": "T-2000002", "customer_id": CUSTOMER, "status": "resolved"}

    response = post(client, event("ticket.updated", data))

    body = assert_error(response, 404, "not_found")
    assert "category" in body["message"] and "subject" in body["message"]
    assert dump(container) == before


def test_a_ticket_of_another_customer_is_a_conflict(client, container):
    before = dump(container)
    data = {"ticket_id": TICKET, "customer_id": OTHER_CUSTOMER, "status": "resolved"}

    assert_error(post(client, event("ticket.updated", data)), 409, "conflict")
    assert dump(container) == before


def test_consent_change_is_recorded_and_updated(client, container):
    granted = {"customer_id": CUSTOMER, "purpose": "newsletter", "granted": True}
    withdrawn = dict(granted, granted=False, source="preference-centre")

    assert post(client, event("consent.changed", granted)).status_code == 200
    response = post(
        client,
        event("consent.changed", withdrawn, event_id="evt-2", occurred_at="2024-05-04T00:00:00"),
    )

    assert response.status_code == 200, response.text
    [consent] = rows(container, Consent)
    assert (consent.purpose, consent.granted, consent.source) == (
        "newsletter",
        False,
        "preference-centre",
    )
    assert consent.at == datetime(2024, 5, 4)
    assert [entry.resource for entry in rows(container, AuditEntry)] == ["consent:newsletter"] * 2


def test_an_older_consent_event_does_not_override_a_newer_decision(client, container):
    data = {"customer_id": CUSTOMER, "purpose": "analytics", "granted": False}
    post(client, event("consent.changed", data, occurred_at="2024-05-04T00:00:00"))

    response = post(
        client,
        event("consent.changed", dict(data, granted=True), event_id="evt-old"),
    )

    assert response.status_code == 200, response.text
    [consent] = rows(container, Consent)
    assert consent.granted is False
    assert len(rows(container, WebhookEvent)) == 2  # the late event is still recorded as seen


def test_the_customers_cached_profile_is_invalidated(client, container):
    profiles = container.profiles
    profiles.get_or_load(profile_key(CUSTOMER), lambda: b'{"tier": "bronze"}')
    profiles.get_or_load(profile_key(OTHER_CUSTOMER), lambda: b"{}")
    assert profiles.cache.get(profile_key(CUSTOMER)) is not None

    response = post(client, event("order.status_changed", {"order_id": ORDER, "status": "shipped"}))

    assert response.status_code == 200, response.text
    assert profiles.cache.get(profile_key(CUSTOMER)) is None
    assert profiles.cache.get(profile_key(OTHER_CUSTOMER)) == b"{}"


# --- signatures and timestamps -------------------------------------------------------------------


def test_sign_matches_an_independent_hmac():
    # printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac test-secret
    expected = "8cb2c3355fca388e9ac2caec004f4d5d7045d74937ab5faad61dc11682247a9f"
    assert sign("test-secret", 1700000000, b'{"a":1}') == f"sha256={expected}"


PROFILE_EVENT = event("profile.updated", {"customer_id": CUSTOMER, "tier": "gold"})


def test_a_wrong_secret_is_rejected(client, container):
    before = dump(container)

    response = post(client, PROFILE_EVENT, secret="not-the-secret")

    assert_error(response, 401, "invalid_signature")
    assert dump(container) == before


@pytest.mark.parametrize("missing", [TIMESTAMP_HEADER, SIGNATURE_HEADER])
def test_missing_headers_are_rejected(client, container, missing):
    before = dump(container)

    response = post(client, PROFILE_EVENT, headers={missing: ""})

    body = assert_error(response, 401, "missing_signature")
    assert missing in body["message"]
    assert dump(container) == before


def test_a_signature_without_the_scheme_prefix_is_rejected(client):
    raw = json.dumps(PROFILE_EVENT).encode()
    now = int(time.time())
    bare = sign(SECRET, now, raw).removeprefix("sha256=")

    response = post(client, raw, timestamp=now, headers={SIGNATURE_HEADER: bare})

    assert_error(response, 401, "invalid_signature")


def test_a_body_tampered_after_signing_is_rejected(client, container):
    raw = json.dumps(PROFILE_EVENT).encode()
    now = int(time.time())
    signature = sign(SECRET, now, raw)
    before = dump(container)

    response = post(
        client,
        raw.replace(b"gold", b"silver"),
        timestamp=now,
        headers={SIGNATURE_HEADER: signature},
    )

    assert_error(response, 401, "invalid_signature")
    assert dump(container) == before


def test_a_timestamp_changed_after_signing_is_rejected(client):
    raw = json.dumps(PROFILE_EVENT).encode()
    now = int(time.time())

    response = post(
        client, raw, timestamp=now + 1, headers={SIGNATURE_HEADER: sign(SECRET, now, raw)}
    )

    assert_error(response, 401, "invalid_signature")


@pytest.mark.parametrize(
    ("offset", "words"), [(-310, "ago"), (-3600, "ago"), (310, "future"), (86400, "future")]
)
def test_stale_and_future_timestamps_are_rejected(client, container, offset, words):
    before = dump(container)

    response = post(client, PROFILE_EVENT, timestamp=int(time.time()) + offset)

    body = assert_error(response, 401, "stale_timestamp")
    assert words in body["message"] and "300 s" in body["message"]
    assert dump(container) == before


@pytest.mark.parametrize("offset", [-290, 290])
def test_timestamps_within_the_tolerance_are_accepted(client, offset):
    response = post(client, PROFILE_EVENT, timestamp=int(time.time()) + offset)

    assert response.status_code == 200, response.text


def test_a_signed_non_numeric_timestamp_is_rejected(client):
    response = post(client, PROFILE_EVENT, timestamp="yesterday")

    assert_error(response, 401, "invalid_timestamp")


def test_without_a_secret_the_webhook_is_disabled(tmp_path):
    container = make_container(tmp_path, secret="")
    before = dump(container)
    with make_client(container) as client:
        response = post(client, PROFILE_EVENT, secret="anything")

    body = assert_error(response, 503, "webhook_disabled")
    assert "CRM_WEBHOOK_SECRET" in body["message"]
    assert dump(container) == before
    container.engine.dispose()


# --- replays --------------------------------------------------------------------------------------


def test_a_replayed_event_is_refused_and_changes_nothing(client, container):
    assert post(client, PROFILE_EVENT).status_code == 200
    before = dump(container)

    same = post(client, PROFILE_EVENT)  # re-signed with a fresh timestamp: a valid replay
    different = post(client, event("profile.updated", {"customer_id": CUSTOMER, "tier": "silver"}))

    for response in (same, different):
        body = assert_error(response, 409, "replayed_event")
        assert body["message"].startswith("event evt-1 was already processed at 20")
    assert dump(container) == before
    assert load(container, Customer, CUSTOMER).tier == "gold"


# --- malformed and invalid bodies ----------------------------------------------------------------


@pytest.mark.parametrize("raw", [b"{not json", b"", b"\xff\xfe\x00garbage"])
def test_malformed_json_is_a_bad_request(client, container, raw):
    before = dump(container)

    assert_error(post(client, raw), 400, "malformed_json")
    assert dump(container) == before


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        (event("customer.deleted", {"customer_id": CUSTOMER}), ["type"]),
        (dict(PROFILE_EVENT, extra="field"), ["extra"]),
        (event("profile.updated", {"customer_id": CUSTOMER, "vip": True}), ["data", "vip"]),
        (event("order.status_changed", {"order_id": ORDER, "status": "lost"}), ["data", "status"]),
        (
            event("order.status_changed", {"order_id": "42", "status": "shipped"}),
            ["data", "order_id"],
        ),
        (event("profile.updated", {"customer_id": CUSTOMER, "name": None}), ["data", "name"]),
        (event("profile.updated", {"customer_id": CUSTOMER}), ["data", "__root__"]),
        (event("profile.updated", {"customer_id": CUSTOMER, "email": "nope"}), ["data", "email"]),
        (
            event(
                "ticket.updated", {"ticket_id": TICKET, "customer_id": CUSTOMER, "satisfaction": 6}
            ),
            ["data", "satisfaction"],
        ),
        (
            event("consent.changed", {"customer_id": CUSTOMER, "purpose": "spam", "granted": True}),
            ["data", "purpose"],
        ),
        (
            event(
                "consent.changed",
                {"customer_id": CUSTOMER, "purpose": "newsletter", "granted": "yes"},
            ),
            ["data", "granted"],
        ),
        (dict(PROFILE_EVENT, id=""), ["id"]),
        (dict(PROFILE_EVENT, id="x" * 65), ["id"]),
        (dict(PROFILE_EVENT, occurred_at="last tuesday"), ["occurred_at"]),
        ({"id": "evt-1", "type": "profile.updated", "occurred_at": OCCURRED_AT}, ["data"]),
        ([PROFILE_EVENT], ["__root__"]),
    ],
)
def test_schema_invalid_events_are_unprocessable(client, container, body, loc):
    before = dump(container)

    response = post(client, json.dumps(body).encode())

    result = assert_error(response, 422, "validation_error")
    assert loc in [detail["loc"] for detail in result["details"]], result["details"]
    assert dump(container) == before


def test_an_oversized_body_is_refused(client):
    raw = json.dumps(dict(PROFILE_EVENT, padding="x" * MAX_BODY_BYTES)).encode()

    assert_error(post(client, raw), 413, "payload_too_large")


# --- unknown references and conflicts ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (event("profile.updated", {"customer_id": "C9999999", "tier": "gold"}), "C9999999"),
        (
            event("order.status_changed", {"order_id": "ORD-999999", "status": "shipped"}),
            "ORD-999999",
        ),
        (
            event(
                "ticket.updated", {"ticket_id": TICKET, "customer_id": "C9999999", "status": "open"}
            ),
            "C9999999",
        ),
        (
            event(
                "consent.changed",
                {"customer_id": "C9999999", "purpose": "analytics", "granted": True},
            ),
            "C9999999",
        ),
    ],
)
def test_unknown_references_are_not_found_and_nothing_is_written(client, container, body, named):
    before = dump(container)

    response = post(client, body)

    result = assert_error(response, 404, "not_found")
    assert named in result["message"]
    assert dump(container) == before  # no WebhookEvent row either: the id may be retried
    assert post(client, PROFILE_EVENT).status_code == 200  # same id, now a valid event


def test_an_email_of_another_customer_is_a_conflict(client, container):
    before = dump(container)
    data = {"customer_id": CUSTOMER, "email": "BO@example.com"}

    assert_error(post(client, event("profile.updated", data)), 409, "conflict")
    assert dump(container) == before


def test_the_route_is_documented_in_openapi(client):
    schema = client.get("/openapi.json").json()

    operation = schema["paths"][WEBHOOK_PATH]["post"]
    assert {"401", "409", "422", "503"} <= set(operation["responses"])
    assert "requestBody" in operation
