"""Segment-aware responses: one variation per segment plus a default, rendered the way Rasa does.

The variations live in `domain.yml` (see docs/segments.md); Rasa picks the one whose `condition`
matches the `segment` slot and falls back to the unconditioned default.
"""

import re
from typing import Any, Dict, List, Optional

import pytest
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from actions.segments import AT_RISK, FREQUENT_SUPPORT, HIGH_VALUE, NEW, SEGMENTS

DOMAIN_FILE = "domain.yml"
SEGMENT_SLOT = "segment"
OUTPUT_CHANNEL = "rest"

# Every response whose answer changes with the customer's segment.
SEGMENT_RESPONSES = [
    "utter_greet",
    "utter_goodbye",
    "utter_order_status_preparing",
    "utter_order_status_shipped",
    "utter_order_status_delivered",
    "utter_delay_apology",
    "utter_confirm_cancellation_free",
    "utter_confirm_cancellation_fee",
    "utter_order_cancelled",
    "utter_order_cancelled_with_fee",
    "utter_cannot_cancel_order",
    "utter_refund_requested",
    "utter_refund_status_requested",
    "utter_offer_human_handoff",
]

# Slots only a verified customer has: the default (also sent to anonymous visitors) can't use them.
CUSTOMER_SLOTS = {"customer_first_name"}

# Rasa's own placeholder pattern (rasa.core.nlg.interpolator).
PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")

# A verified customer's slots, so that every placeholder has a value when rendered.
SAMPLE_SLOTS = {
    "customer_id": "C-1001",
    "customer_first_name": "Ada",
    "verified": True,
    "order_id": "ORD-583920",
    "last_order_id": "ORD-583920",
}
# What the actions pass to `utter_message` as keyword arguments (`actions/order_answers.py`,
# `actions/orders.py`, `actions/refunds.py`); they fill placeholders that are not slots.
SAMPLE_ARGUMENTS = {
    "placed_on": "3 May 2024",
    "arrival": "by 8 May 2024",
    "shipped_when": "on 5 May 2024",
    "delivered_when": "on 7 May 2024",
    "fee": "2.50 EUR",
    "reason": "the order is shipped; only pending or processing orders can be cancelled",
    "refund_id": "R-1001",
    "amount": "59.90",
    "currency": "EUR",
    "requested_on": "9 May 2024",
}


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(DOMAIN_FILE)


def _segment_of(variation: Dict[str, Any]) -> Optional[str]:
    """The segment a variation is for, or None for the unconditioned default."""
    conditions = variation.get("condition")
    if not conditions:
        return None
    assert conditions == [
        {"type": "slot", "name": SEGMENT_SLOT, "value": conditions[0]["value"]}
    ], f"a segment variation has exactly one condition, on the segment slot: {conditions}"
    return conditions[0]["value"]


def _placeholders(value: Any) -> List[str]:
    """Every `{name}` in a variation's text and buttons, as Rasa would interpolate them."""
    if isinstance(value, str):
        return PLACEHOLDER.findall(value)
    if isinstance(value, dict):
        return [name for item in value.values() for name in _placeholders(item)]
    if isinstance(value, list):
        return [name for item in value for name in _placeholders(item)]
    return []


def _tracker(domain: Domain, segment: Optional[str]) -> DialogueStateTracker:
    slot_names = {slot.name for slot in domain.slots}
    values = {**SAMPLE_SLOTS, SEGMENT_SLOT: segment}
    events = [SlotSet(name, value) for name, value in values.items() if name in slot_names]
    return DialogueStateTracker.from_events("segment-test", events, slots=domain.slots)


async def _render(domain: Domain, response: str, segment: Optional[str]) -> str:
    generator = TemplatedNaturalLanguageGenerator(domain.responses)
    message = await generator.generate(
        response, _tracker(domain, segment), OUTPUT_CHANNEL, **SAMPLE_ARGUMENTS
    )
    assert message is not None, f"{response} rendered nothing for segment {segment}"
    return message["text"]


def test_segment_slot_offers_exactly_the_segments(domain):
    slot = next((slot for slot in domain.slots if slot.name == SEGMENT_SLOT), None)
    assert slot is not None, "domain.yml has no `segment` slot"
    assert slot.type_name == "categorical"
    assert set(SEGMENTS) <= set(slot.values)


@pytest.mark.parametrize("response", SEGMENT_RESPONSES)
def test_response_has_one_variation_per_segment_and_a_default(response, domain):
    variations = domain.responses.get(response)
    assert variations, f"{response} is missing from domain.yml"
    segments = [_segment_of(variation) for variation in variations]
    assert sorted(segments, key=str) == sorted([*SEGMENTS, None], key=str)


def _default(domain: Domain, response: str) -> Dict[str, Any]:
    return next(v for v in domain.responses[response] if _segment_of(v) is None)


@pytest.mark.parametrize("response", SEGMENT_RESPONSES)
def test_every_placeholder_is_a_slot_or_an_argument_the_action_passes(response, domain):
    # Rasa leaves a placeholder that is neither a slot nor a keyword argument of `utter_message`
    # literally in the text. A variation may only use slots and the arguments its default uses
    # (which the action passes anyway), so a segment can't ask the action for more.
    slot_names = {slot.name for slot in domain.slots}
    arguments = set(_placeholders(_default(domain, response))) - slot_names
    assert arguments <= set(SAMPLE_ARGUMENTS), f"{response}: add its arguments to SAMPLE_ARGUMENTS"
    for variation in domain.responses[response]:
        unknown = set(_placeholders(variation)) - slot_names - arguments
        assert not unknown, f"{response} ({_segment_of(variation)}) uses {unknown}"


@pytest.mark.parametrize("response", SEGMENT_RESPONSES)
def test_every_variation_offers_the_defaults_buttons(response, domain):
    # A question ("Shall I cancel it?") keeps its yes/no buttons in every segment.
    buttons = _default(domain, response).get("buttons")
    assert all(variation.get("buttons") == buttons for variation in domain.responses[response])


@pytest.mark.parametrize("response", SEGMENT_RESPONSES)
def test_no_variation_is_channel_specific(response, domain):
    # Rasa prefers an unconditioned variation for the output channel over a segment variation
    # without a channel (rasa.core.nlg.generator.ResponseVariationFilter).
    assert not [v for v in domain.responses[response] if v.get("channel")]


@pytest.mark.parametrize("response", SEGMENT_RESPONSES)
def test_the_default_uses_no_customer_slot(response, domain):
    # Anonymous visitors get the default; their name slot is empty and would read "None".
    assert not set(_placeholders(_default(domain, response))) & CUSTOMER_SLOTS


@pytest.mark.parametrize("response", SEGMENT_RESPONSES)
async def test_each_segment_gets_its_own_variation(response, domain):
    expected = {
        _segment_of(variation): variation["text"] for variation in domain.responses[response]
    }
    for segment in [*SEGMENTS, None]:
        text = await _render(domain, response, segment)
        filled = expected[segment].format_map({**SAMPLE_SLOTS, **SAMPLE_ARGUMENTS})
        assert text == filled
        assert "{" not in text and "None" not in text


@pytest.mark.parametrize("response", SEGMENT_RESPONSES)
async def test_high_value_and_at_risk_customers_get_different_answers(response, domain):
    high_value = await _render(domain, response, HIGH_VALUE)
    at_risk = await _render(domain, response, AT_RISK)
    assert high_value != at_risk


async def test_unknown_segment_falls_back_to_the_default(domain):
    assert await _render(domain, "utter_greet", None) == _default(domain, "utter_greet")["text"]


@pytest.mark.parametrize(
    "response, segment, gesture",
    [
        ("utter_greet", HIGH_VALUE, "say 'agent' any time and you skip the queue"),
        ("utter_greet", AT_RISK, "Welcome back, Ada"),
        ("utter_confirm_cancellation_fee", HIGH_VALUE, "we'll refund that fee"),
        ("utter_order_cancelled_with_fee", HIGH_VALUE, "we'll refund the fee"),
        ("utter_refund_requested", HIGH_VALUE, "within 2 working days"),
        ("utter_refund_status_requested", AT_RISK, "fast-track"),
        ("utter_delay_apology", HIGH_VALUE, "Express delivery free of charge"),
        ("utter_delay_apology", AT_RISK, "WELCOMEBACK10"),
        ("utter_offer_human_handoff", HIGH_VALUE, "senior agent"),
        ("utter_greet", NEW, "where is my order"),
        ("utter_order_status_shipped", NEW, "My account > Orders > ORD-583920 > Track parcel"),
        ("utter_offer_human_handoff", FREQUENT_SUPPORT, "in touch with us a few times"),
    ],
)
async def test_segments_get_their_service_gestures(response, segment, gesture, domain):
    assert gesture in await _render(domain, response, segment)
    assert gesture not in await _render(domain, response, None)
