"""Messages written while a conversation is with an agent reach the handoff, and only those."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from conversation_store.handoff_relay import (
    HandoffRelay,
    HttpHandoffRelay,
    NoHandoffRelay,
    relay_from_env,
)
from conversation_store.redacting_tracker_store import RedactingSQLTrackerStore
from tests.ports import free_port

DOMAIN = Domain.load("domain.yml")


class RecordingRelay(HandoffRelay):
    def __init__(self):
        self.forwarded = []

    def forward(self, conversation_id, text):
        self.forwarded.append((conversation_id, text))


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path}/tracker.db")
    store = RedactingSQLTrackerStore(domain=DOMAIN)
    store.handoff_relay = RecordingRelay()
    return store


def said(tracker, text):
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered(text, {"name": "inform", "confidence": 0.9}))


async def test_only_messages_after_the_pause_are_relayed_redacted(store):
    tracker = DialogueStateTracker("conv-7", DOMAIN.slots)
    said(tracker, "I want a person")
    tracker.update(ActionExecuted("action_handoff"))
    tracker.update(BotUttered("Passing you to our team"))
    tracker.update(ConversationPaused())
    await store.save(tracker)
    assert store.handoff_relay.forwarded == []  # the request itself is in the transcript

    said(tracker, "hello? my email is jane@example.com")
    await store.save(tracker)
    said(tracker, "still there?")
    await store.save(tracker)
    tracker.update(ConversationResumed())
    said(tracker, "thanks, sorted")
    await store.save(tracker)

    assert store.handoff_relay.forwarded == [
        ("conv-7", "hello? my email is [email]"),
        ("conv-7", "still there?"),
    ]


async def test_an_unpaused_conversation_relays_nothing(store):
    tracker = DialogueStateTracker("conv-8", DOMAIN.slots)
    said(tracker, "where is my order")
    await store.save(tracker)
    assert store.handoff_relay.forwarded == []


class Receiver(BaseHTTPRequestHandler):
    received = []
    status = 201

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        Receiver.received.append((self.headers["Authorization"], self.rfile.read(length)))
        self.send_response(Receiver.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    port = free_port()
    server = HTTPServer(("127.0.0.1", port), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Receiver.received, Receiver.status = [], 201
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


def test_http_relay_posts_in_order_with_the_token(receiver):
    relay = HttpHandoffRelay(receiver, "relay-token")
    relay.forward("conv-1", "first")
    relay.forward("conv-1", "second")
    relay.drain()
    assert [auth for auth, _ in Receiver.received] == ["Bearer relay-token"] * 2
    assert [body for _, body in Receiver.received] == [
        b'{"conversation_id": "conv-1", "text": "first"}',
        b'{"conversation_id": "conv-1", "text": "second"}',
    ]


def test_http_relay_survives_an_unreachable_or_refusing_service(receiver):
    Receiver.status = 404
    assert HttpHandoffRelay(receiver, "t")._post("conv-1", "x") is False
    unreachable = HttpHandoffRelay(f"http://127.0.0.1:{free_port()}", "t")
    assert unreachable._post("conv-1", "x") is False


def test_relay_is_configured_from_the_environment():
    assert isinstance(relay_from_env({}), NoHandoffRelay)
    assert isinstance(relay_from_env({"CUSTOMER_DATA_URL": "http://x"}), NoHandoffRelay)
    configured = {"CUSTOMER_DATA_URL": "http://x", "CUSTOMER_DATA_TOKEN": "t"}
    assert isinstance(relay_from_env(configured), HttpHandoffRelay)
