import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

import conversation_store.tracker_store  # noqa: F401 - installs the patch, as the server does
from rasa_patches.action_response_validation import validate_action_result


@pytest.fixture
def action():
    return RemoteAction("action_check_order_status", EndpointConfig("http://localhost:5055"))


def test_the_server_uses_the_precompiled_validation():
    assert RemoteAction._validate_action_result is validate_action_result


def test_valid_response_passes(action):
    response = {
        "events": [{"event": "slot", "name": "order_id", "value": "ORD-1"}],
        "responses": [{"response": "utter_greet"}],
    }
    assert action._validate_action_result(response) is True


@pytest.mark.parametrize(
    "response", [{"events": [{"name": "no event type"}]}, {"events": "not a list"}]
)
def test_invalid_response_raises_with_rasas_hint(action, response):
    with pytest.raises(ValidationError) as error:
        action._validate_action_result(response)
    assert "Failed to validate Action server response" in error.value.message
