"""Builds trackers from a scripted conversation, for actions that read the whole session."""

from typing import Any, Dict, List, Optional, Sequence, Tuple

from rasa_sdk import Tracker


def user(
    text: str,
    intent: str,
    confidence: float = 0.9,
    entities: Optional[dict] = None,
    ranking: Optional[Sequence[Tuple[str, float]]] = None,
) -> Dict[str, Any]:
    """A user event with parse data; `ranking` as (intent, confidence) pairs."""
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": [{"entity": k, "value": v} for k, v in (entities or {}).items()],
        "intent_ranking": [{"name": n, "confidence": c} for n, c in (ranking or [])],
    }
    return {"event": "user", "text": text, "parse_data": parse}


def bot(text: str, response: Optional[str] = None) -> Dict[str, Any]:
    """A bot utterance, with the response name Rasa records in its metadata."""
    return {
        "event": "bot",
        "text": text,
        "metadata": {"utter_action": response} if response else {},
    }


def action(name: str) -> Dict[str, Any]:
    """An executed action."""
    return {"event": "action", "name": name}


def tracker(
    events: List[Dict[str, Any]], slots: Optional[Dict[str, Any]] = None, channel: str = "socketio"
) -> Tracker:
    """A tracker whose latest message is the last user event in `events`."""
    events = [{"event": "session_started"}, *events]
    latest = next(e["parse_data"] for e in reversed(events) if e["event"] == "user")
    for event in events:
        if event["event"] == "user":
            event["input_channel"] = channel
    return Tracker(
        sender_id="conv-42",
        slots=dict(slots or {}),
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
