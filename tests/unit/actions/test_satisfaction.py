import pytest
from rasa_sdk.events import SlotSet

from actions.clients import FakeSupportDeskClient
from actions.satisfaction import (
    ActionOfferCsat,
    ActionSubmitCsat,
    ValidateCsatForm,
    parse_rating,
)
from actions.support_desk_action import use_support_desk
from tests.unit.actions.conversation_events import action, tracker, user
from tests.unit.actions.live_data import sent

CUSTOMER = {"customer_id": "C0000042", "verified": True, "segment": "standard"}


@pytest.fixture
def desk():
    desk = FakeSupportDeskClient()
    use_support_desk(desk)
    yield desk
    use_support_desk(None)


@pytest.mark.parametrize(
    "text, rating",
    [
        ("4", 4),
        ("5/5", 5),
        ("i'd say three", 3),
        ("\u2b50\u2b50", 2),
        ("1 - awful", 1),
        ("0", None),
        ("10", None),
        ("4.5", None),
        ("where is my order", None),
        ("", None),
    ],
)
def test_parse_rating(text, rating):
    assert parse_rating(text) == rating


@pytest.mark.parametrize(
    "events, due",
    [
        ([user("where is it", "track_order"), action("action_check_order_status")], True),
        ([user("hi", "greet"), action("utter_greet")], False),
        (
            [
                action("action_check_order_status"),
                {"event": "active_loop", "name": "csat_form"},
                action("utter_greet"),
            ],
            False,
        ),
        (
            [
                action("action_check_order_status"),
                {"event": "active_loop", "name": "csat_form"},
                action("action_request_refund"),
            ],
            True,
        ),
        ([action("action_record_review")], False),
    ],
)
async def test_a_rating_is_due_after_a_resolved_flow_not_yet_rated(events, due, dispatcher, domain):
    conversation = tracker([*events, user("thanks!", "thank_you")])
    assert await ActionOfferCsat().run(dispatcher, conversation, domain) == [
        SlotSet("csat_due", due)
    ]
    assert dispatcher.messages == []


def validate(slot, value, intent="inform"):
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    conversation = tracker([user(str(value), intent)])
    method = getattr(ValidateCsatForm(), f"validate_{slot}")
    return method(value, dispatcher, conversation, {}), dispatcher


def test_rating_validation():
    assert validate("csat_rating", "4")[0] == {"csat_rating": "4"}
    result, dispatcher = validate("csat_rating", "where is my order")
    assert result == {"csat_rating": "skipped", "csat_comment": "skipped"}
    assert dispatcher.messages[0]["response"] == "utter_csat_skipped"


def test_comment_validation_redacts_and_no_comment_skips():
    assert validate("csat_comment", "mail me at a@b.example")[0] == {
        "csat_comment": "mail me at [email]"
    }
    assert validate("csat_comment", "/deny", "deny")[0] == {"csat_comment": "skipped"}
    assert validate("csat_comment", "no", "deny")[0] == {"csat_comment": "skipped"}


RESET = [SlotSet("csat_due", False), SlotSet("csat_rating", None), SlotSet("csat_comment", None)]


async def test_submit_stores_rating_with_flow_segment_and_human(desk, dispatcher, domain):
    events = [
        user("where is it", "track_order"),
        action("action_check_order_status"),
        user("agent", "contact_human_agent"),
        action("action_handoff"),
        {"event": "pause"},
        {"event": "resume"},
        user("4", "inform"),
        user("quick and kind", "inform"),
    ]
    slots = {**CUSTOMER, "csat_rating": "4", "csat_comment": "quick and kind"}

    result = await ActionSubmitCsat().run(dispatcher, tracker(events, slots), domain)

    assert result == RESET
    [rating] = desk.ratings
    assert (rating.conversation_id, rating.customer_id, rating.segment) == (
        "conv-42",
        "C0000042",
        "standard",
    )
    assert (rating.flow, rating.human_involved, rating.rating) == ("track_order", True, 4)
    assert rating.comment == "quick and kind"
    assert sent(dispatcher) == [("utter_csat_thanks", {})]


async def test_anonymous_rating_without_a_flow_is_about_the_handoff(desk, dispatcher, domain):
    slots = {"csat_rating": "2", "csat_comment": "skipped", "segment": "high_value"}
    await ActionSubmitCsat().run(dispatcher, tracker([user("2", "inform")], slots), domain)
    [rating] = desk.ratings
    assert (rating.customer_id, rating.segment, rating.flow) == (None, None, "handoff")
    assert (rating.human_involved, rating.comment) == (False, None)


async def test_a_skipped_rating_is_not_stored(desk, dispatcher, domain):
    slots = {"csat_rating": "skipped", "csat_comment": "skipped"}
    result = await ActionSubmitCsat().run(dispatcher, tracker([user("x", "inform")], slots), domain)
    assert result == RESET
    assert desk.ratings == [] and dispatcher.messages == []


async def test_a_desk_outage_still_thanks_the_customer(desk, dispatcher, domain):
    desk.failing = True
    slots = {"csat_rating": "5"}
    result = await ActionSubmitCsat().run(dispatcher, tracker([user("5", "inform")], slots), domain)
    assert result == RESET
    assert sent(dispatcher) == [("utter_csat_thanks", {})]
