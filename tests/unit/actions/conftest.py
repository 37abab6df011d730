"""Real `Tracker`s and dispatchers for action tests (no mocks of the SDK)."""

from typing import Any, Dict, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

DOMAIN_FILE = "domain.yml"


def make_tracker(
    slots: Optional[Dict[str, Any]] = None,
    text: str = "",
    intent: str = "inform",
    active_loop: Optional[str] = None,
    just_set: Optional[Dict[str, Any]] = None,
) -> Tracker:
    """A tracker as the action server receives it, with the latest user message and slots.

    `just_set` are slots extracted from the latest message: form validation only looks at those.
    """
    latest_message = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": [],
    }
    events = [{"event": "user", "text": text, "parse_data": latest_message}]
    events += [{"event": "slot", "name": k, "value": v} for k, v in (just_set or {}).items()]
    return Tracker(
        sender_id="test-conversation",
        slots={**(slots or {}), **(just_set or {})},
        latest_message=latest_message,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    with open(DOMAIN_FILE, encoding="utf-8") as file:
        return yaml.safe_load(file)


@pytest.fixture(autouse=True)
def no_insights_models():
    """Actions run without the recommender and risk model unless a test installs its own."""
    from actions.insights_models import use_insights_models

    use_insights_models(recommender=None, escalation=None)
    yield
    use_insights_models()
