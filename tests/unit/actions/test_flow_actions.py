"""Every order and delivery flow action is declared in the domain with the responses it sends.

The behaviour of each action is tested in test_orders.py, test_delivery.py, test_session.py and
test_verification.py; this file checks the contract with `domain.yml` that `rasa train` can't.
"""

import re
from pathlib import Path

import pytest

from actions.delivery import ActionChangeShippingAddress, ActionSaveShippingAddress
from actions.order_choice import AskCancelOrderId, AskChangeAddressOrderId, AskTrackOrderId
from actions.orders import ActionAskCancelConfirmation, ActionCancelOrder, ActionCheckOrderStatus
from actions.session import ActionSessionStart
from actions.verification import ActionCompleteVerification, ValidateVerifyIdentityForm

FLOW_ACTIONS = [
    ActionSessionStart,
    ActionCheckOrderStatus,
    ActionCancelOrder,
    ActionAskCancelConfirmation,
    ActionChangeShippingAddress,
    ActionSaveShippingAddress,
    AskTrackOrderId,
    AskCancelOrderId,
    AskChangeAddressOrderId,
    ValidateVerifyIdentityForm,
    ActionCompleteVerification,
]
# Modules that name responses as string literals (the others import these constants).
MODULES = [
    "actions/orders.py",
    "actions/order_answers.py",
    "actions/order_choice.py",
    "actions/delivery.py",
    "actions/slots.py",
]
RESPONSE_NAME = re.compile(r'"(utter_[a-z_]+)"')


@pytest.mark.parametrize("action_class", FLOW_ACTIONS)
def test_every_flow_action_is_declared_in_the_domain(action_class, domain):
    assert action_class().name() in domain["actions"]


@pytest.mark.parametrize("module", MODULES)
def test_every_response_the_actions_name_exists(module, domain):
    names = RESPONSE_NAME.findall(Path(module).read_text(encoding="utf-8"))
    assert names
    assert set(names) - set(domain["responses"]) == set()


def test_verification_offer_has_yes_and_no_buttons(domain):
    [offer] = domain["responses"]["utter_offer_verification"]
    assert [button["payload"] for button in offer["buttons"]] == ["/affirm", "/deny"]
