"""The URL-configured SQL tracker store against a real SQLite file."""

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from conversation_store.tracker_store import UrlSQLTrackerStore

DOMAIN = Domain.load("domain.yml")


def conversation(sender_id: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender_id, DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("where is ORD-583920?", {"name": "track_order", "confidence": 0.9}))
    tracker.update(SlotSet("order_id", "ORD-583920"))
    return tracker


async def test_conversation_round_trips_through_the_configured_sqlite_file(tmp_path, monkeypatch):
    db_file = tmp_path / "nested" / "tracker.db"
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{db_file}")
    store = UrlSQLTrackerStore(domain=DOMAIN)
    await store.save(conversation("customer-1"))

    restored = await UrlSQLTrackerStore(domain=DOMAIN).retrieve("customer-1")
    assert restored.get_slot("order_id") == "ORD-583920"
    assert restored.latest_message.intent["name"] == "track_order"

    engine = sa.create_engine(f"sqlite:///{db_file}")
    with engine.connect() as connection:
        senders = (
            connection.execute(sa.text("select distinct sender_id from events")).scalars().all()
        )
    assert senders == ["customer-1"]


async def test_conversations_are_kept_apart(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    store = UrlSQLTrackerStore(domain=DOMAIN)
    await store.save(conversation("customer-1"))
    assert await store.retrieve("customer-2") is None
    assert sorted(await store.keys()) == ["customer-1"]


def test_invalid_url_is_rejected_with_a_helpful_message(monkeypatch):
    monkeypatch.setenv("TRACKER_STORE_URL", "not a url")
    with pytest.raises(ValueError, match="TRACKER_STORE_URL is not a valid SQLAlchemy URL"):
        UrlSQLTrackerStore(domain=DOMAIN)
