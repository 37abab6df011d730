"""The redacting SQL tracker store against a real SQLite file, read back with plain SQL."""

import base64
import json

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from conversation_store.redacting_tracker_store import RedactingSQLTrackerStore

DOMAIN = Domain.load("domain.yml")

EMAIL = "jane.doe@example.com"
CARD = "4111 1111 1111 1111"
PHONE = "+44 7700 900123"
TEXT = f"my email is {EMAIL} and my card {CARD}, call {PHONE} about ORD-583920"
RAW_FORMS = [EMAIL, CARD, CARD.replace(" ", ""), PHONE, PHONE.replace(" ", ""), "7700 900123"]


def entity(name, value):
    start = TEXT.index(value)
    return {"entity": name, "value": value, "start": start, "end": start + len(value)}


def conversation(sender_id: str) -> DialogueStateTracker:
    entities = [
        entity("email", EMAIL),
        entity("card_number", CARD),
        entity("phone_number", PHONE),
        entity("order_id", "ORD-583920"),
    ]
    tracker = DialogueStateTracker(sender_id, DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(
        UserUttered(
            TEXT,
            {"name": "inform", "confidence": 0.9},
            entities,
            parse_data={
                "text": TEXT,
                "intent": {"name": "inform", "confidence": 0.9},
                "entities": entities,
                "intent_ranking": [{"name": "inform", "confidence": 0.9}],
            },
        )
    )
    tracker.update(SlotSet("email", EMAIL))
    tracker.update(SlotSet("phone_number", PHONE))
    tracker.update(SlotSet("order_id", "ORD-583920"))
    tracker.update(BotUttered(f"Change your e-mail address to {EMAIL}?"))
    return tracker


def stored_rows(db_file):
    engine = sa.create_engine(f"sqlite:///{db_file}")
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("select type_name, intent_name, action_name, data from events order by id")
        ).all()
    engine.dispose()
    return rows


@pytest.fixture
def db_file(tmp_path, monkeypatch):
    path = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{path}")
    return path


async def test_no_personal_data_reaches_the_database(db_file):
    tracker = conversation("customer-1")
    await RedactingSQLTrackerStore(domain=DOMAIN).save(tracker)

    rows = stored_rows(db_file)
    assert len(rows) == len(tracker.events)
    dump = "\n".join(" ".join(str(column) for column in row) for row in rows)
    for raw in RAW_FORMS:
        assert raw not in dump
    assert "ORD-583920" in dump

    user = json.loads(next(row.data for row in rows if row.type_name == "user"))
    expected = "my email is [email] and my card [card], call [phone] about ORD-583920"
    assert user["text"] == user["parse_data"]["text"] == expected
    assert [e["value"] for e in user["parse_data"]["entities"]] == [
        "[email]",
        "[card]",
        "[phone]",
        "ORD-583920",
    ]
    assert user["parse_data"]["intent_ranking"] == [{"name": "inform", "confidence": 0.9}]
    assert next(row.intent_name for row in rows if row.type_name == "user") == "inform"
    slots = {
        row.action_name: json.loads(row.data)["value"] for row in rows if row.type_name == "slot"
    }
    assert slots["order_id"] == "ORD-583920"
    # Contact slots are stored encrypted: readable for the next turn, never in clear.
    assert slots["email"].startswith("enc:v1:") and slots["phone_number"].startswith("enc:v1:")


async def test_the_live_tracker_keeps_the_raw_values(db_file):
    tracker = conversation("customer-1")
    await RedactingSQLTrackerStore(domain=DOMAIN).save(tracker)

    assert tracker.latest_message.text == TEXT
    assert tracker.latest_message.entities[0]["value"] == EMAIL
    assert tracker.get_slot("email") == EMAIL
    assert tracker.latest_bot_utterance.text == f"Change your e-mail address to {EMAIL}?"


async def test_a_retrieved_tracker_has_redacted_texts_and_decrypted_contact_slots(
    db_file, monkeypatch
):
    monkeypatch.setenv("TRACKER_SLOT_ENCRYPTION_KEY", base64.urlsafe_b64encode(b"k" * 32).decode())
    store = RedactingSQLTrackerStore(domain=DOMAIN)
    await store.save(conversation("customer-1"))

    restored = await RedactingSQLTrackerStore(domain=DOMAIN).retrieve("customer-1")
    assert restored.get_slot("email") == EMAIL  # the next turn's flow still has it
    assert restored.get_slot("order_id") == "ORD-583920"
    assert restored.latest_message.text.startswith("my email is [email]")
    assert restored.latest_message.intent["name"] == "inform"


async def test_only_new_events_are_appended_on_the_next_save(db_file):
    store = RedactingSQLTrackerStore(domain=DOMAIN)
    tracker = conversation("customer-1")
    await store.save(tracker)
    tracker.update(BotUttered("Or call you on 0176 55512345?"))
    await store.save(tracker)

    rows = stored_rows(db_file)
    assert len(rows) == len(tracker.events)
    assert json.loads(rows[-1].data)["text"] == "Or call you on [phone]?"


async def test_configured_slots_replace_the_default_list(db_file):
    store = RedactingSQLTrackerStore(domain=DOMAIN, redact_slots=["order_id"])
    await store.save(conversation("customer-1"))

    slots = {
        row.action_name: json.loads(row.data)["value"]
        for row in stored_rows(db_file)
        if row.type_name == "slot"
    }
    assert slots["order_id"].startswith("enc:v1:")
    assert slots["email"] == "[email]"  # not a listed slot, but still caught by the e-mail pattern


async def test_a_different_key_cannot_read_the_contact_slots(db_file, monkeypatch):
    monkeypatch.setenv("TRACKER_SLOT_ENCRYPTION_KEY", base64.urlsafe_b64encode(b"a" * 32).decode())
    await RedactingSQLTrackerStore(domain=DOMAIN).save(conversation("customer-1"))
    monkeypatch.setenv("TRACKER_SLOT_ENCRYPTION_KEY", base64.urlsafe_b64encode(b"b" * 32).decode())
    restored = await RedactingSQLTrackerStore(domain=DOMAIN).retrieve("customer-1")
    assert restored.get_slot("email") is None


def test_a_malformed_key_is_rejected_at_start(db_file, monkeypatch):
    monkeypatch.setenv("TRACKER_SLOT_ENCRYPTION_KEY", "too-short")
    with pytest.raises(ValueError, match="TRACKER_SLOT_ENCRYPTION_KEY"):
        RedactingSQLTrackerStore(domain=DOMAIN)


def test_a_single_slot_name_instead_of_a_list_is_rejected(db_file):
    with pytest.raises(ValueError, match="redact_slots must be a list of slot names"):
        RedactingSQLTrackerStore(domain=DOMAIN, redact_slots="email")


def test_endpoints_yml_loads_the_redacting_store(db_file, monkeypatch):
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://localhost:5055/webhook")
    config = read_endpoint_config("endpoints.yml", "tracker_store")
    assert config.kwargs["redact_slots"] == ["email", "phone_number", "shipping_address"]
    store = TrackerStore.create(config, domain=DOMAIN)
    assert isinstance(store, RedactingSQLTrackerStore)
    assert store.redact_slots == {"email", "phone_number", "shipping_address"}
