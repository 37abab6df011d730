"""A URL-configured SQL tracker store that writes conversations with personal data redacted.

Only what is written to the database is redacted: the tracker the server holds during a turn keeps
the raw texts and slot values. Rasa retrieves the tracker from the store at the start of every
message, so from the next message on, texts and the contact slots (`redact_slots`) read back as
placeholders. Events sent to an event broker (none is configured) are not redacted. While a
conversation is paused for a human agent, new customer messages are also relayed (redacted) to
the handoff in the customer data service (`handoff_relay`).
"""

import json
import logging
from typing import Any, Collection, Dict, Iterable, Optional, Set

from rasa.core.brokers.broker import EventBroker
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ConversationPaused, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from conversation_store.handoff_relay import HandoffRelay, relay_from_env
from conversation_store.redaction import DEFAULT_REDACT_SLOTS, redact_event_data, redact_text
from conversation_store.slot_cipher import cipher_from_env
from conversation_store.tracker_store import UrlSQLTrackerStore

logger = logging.getLogger(__name__)

REDACT_SLOTS_KEY = "redact_slots"


def _slot_names(redact_slots: Optional[Iterable[str]]) -> frozenset:
    """Validates the `redact_slots` setting (a list of slot names) from `endpoints.yml`."""
    if redact_slots is None:
        return frozenset(DEFAULT_REDACT_SLOTS)
    if isinstance(redact_slots, str) or not all(isinstance(n, str) for n in redact_slots):
        raise ValueError(
            f"tracker_store.{REDACT_SLOTS_KEY} must be a list of slot names, "
            f"got {redact_slots!r}."
        )
    return frozenset(redact_slots)


class RedactingSQLTrackerStore(UrlSQLTrackerStore):
    """`UrlSQLTrackerStore` that redacts e-mails, phones, cards, IBANs and contact slots."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[str] = None,
        event_broker: Optional[EventBroker] = None,
        url: Optional[str] = None,
        redact_slots: Optional[Iterable[str]] = None,
        **kwargs: Any,
    ) -> None:
        """Connects like `UrlSQLTrackerStore`; `redact_slots` names the contact data slots."""
        self.redact_slots: Collection[str] = _slot_names(redact_slots)
        self.cipher = cipher_from_env()
        self.handoff_relay: HandoffRelay = relay_from_env()
        super().__init__(domain=domain, host=host, event_broker=event_broker, url=url, **kwargs)

    def _contact_values(self, tracker: DialogueStateTracker) -> Set[str]:
        """Raw values the contact slots hold or held in this session, to find them in texts."""
        values = {
            event.value
            for event in tracker.events
            if isinstance(event, SlotSet) and event.key in self.redact_slots
        }
        values.update(tracker.get_slot(name) for name in self.redact_slots if name in tracker.slots)
        return {value for value in values if isinstance(value, str)}

    def serialise_event(self, event: Event, contact_values: Collection[str]) -> Dict[str, Any]:
        """The event as it is stored: `event.as_dict()`, redacted; contact slots encrypted."""
        data = redact_event_data(event.as_dict(), self.redact_slots, contact_values)
        if isinstance(event, SlotSet) and event.key in self.redact_slots:
            if isinstance(event.value, str):
                data["value"] = self.cipher.encrypt(event.value)
        return data

    def deserialise_event(self, data: Dict[str, Any]) -> Dict[str, Any]:
        """A stored event as Rasa reads it, with contact slot values decrypted."""
        if data.get("event") == "slot" and data.get("name") in self.redact_slots:
            data["value"] = self.cipher.decrypt(data.get("value"))
        return data

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        """Loads the conversation like `SQLTrackerStore._retrieve` of Rasa 3.6, decrypting."""
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            events = [self.deserialise_event(json.loads(row.data)) for row in rows]
        if not self.domain or not events:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Stores the tracker's new events, redacted; the tracker itself is not changed.

        Mirrors `SQLTrackerStore.save` of Rasa 3.6, which builds each row inline from
        `event.as_dict()` and offers no narrower hook.
        """
        await self.stream_events(tracker)
        contact_values = self._contact_values(tracker)

        new_events = 0
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                new_events += 1
                data = self.serialise_event(event, contact_values)
                intent = data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=intent,
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()

        logger.debug("Tracker with sender_id '%s' stored to database", tracker.sender_id)
        self.relay_paused_messages(tracker, new_events, contact_values)

    def relay_paused_messages(
        self, tracker: DialogueStateTracker, new_events: int, contact_values: Collection[str]
    ) -> None:
        """Sends customer messages written since the conversation was paused to its handoff."""
        if not new_events or not tracker.is_paused():
            return
        events = list(tracker.events)
        paused_at = max(i for i, e in enumerate(events) if isinstance(e, ConversationPaused))
        for index in range(max(len(events) - new_events, paused_at + 1), len(events)):
            event = events[index]
            if isinstance(event, UserUttered) and event.text:
                text = redact_text(event.text, contact_values)
                self.handoff_relay.forward(tracker.sender_id, text)
