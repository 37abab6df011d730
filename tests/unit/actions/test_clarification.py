import json

import pytest
from rasa_sdk.events import SlotSet

from actions.clarification import ActionClarify, likely_intents, question
from tests.unit.actions.conversation_events import action, bot, tracker, user

UNSURE = [
    ("nlu_fallback", 0.2),
    ("track_order", 0.18),
    ("edit_account", 0.12),
    ("greet", 0.1),
    ("get_refund", 0.03),
]


def unsure(text="hmm my thing", entities=None):
    return user(text, "nlu_fallback", 0.2, entities, UNSURE)


async def test_names_the_likely_intents_as_buttons_with_something_else(dispatcher, domain):
    events = await ActionClarify().run(dispatcher, tracker([unsure()]), domain)

    assert events == [SlotSet("handoff_offer", None)]
    [message] = dispatcher.messages
    assert message["text"] == (
        "Did you mean to check your order status or update your contact info?"
    )
    assert [b["payload"] for b in message["buttons"]] == ["/track_order", "/edit_account", "/deny"]
    assert message["buttons"][-1]["title"] == "Something else"


async def test_buttons_carry_the_entities_already_given(dispatcher, domain):
    latest = unsure("ORD-482913 ???", {"order_id": "ORD-482913"})
    await ActionClarify().run(dispatcher, tracker([latest]), domain)

    payload = dispatcher.messages[0]["buttons"][0]["payload"]
    assert payload.startswith("/track_order")
    assert json.loads(payload[len("/track_order") :]) == {"order_id": "ORD-482913"}


def test_chit_chat_intents_and_weak_candidates_are_not_offered():
    assert likely_intents(tracker([unsure()])) == ["track_order", "edit_account"]
    ranking = [("nlu_fallback", 0.3), ("get_refund", 0.25), ("cancel_order", 0.2)]
    ranking += [("track_refund", 0.15), ("track_order", 0.1)]
    three = tracker([user("x", "nlu_fallback", 0.3, ranking=ranking)])
    assert likely_intents(three) == ["get_refund", "cancel_order", "track_refund"]


def test_question_lists_three_options_in_plain_words():
    assert question(["get_refund", "cancel_order", "track_refund"]) == (
        "Did you mean to ask for a refund, cancel an order or check on a refund?"
    )


async def test_nothing_plausible_asks_to_rephrase(dispatcher, domain):
    latest = user("asdf", "nlu_fallback", 0.2, ranking=[("nlu_fallback", 0.2), ("greet", 0.1)])
    await ActionClarify().run(dispatcher, tracker([latest]), domain)
    assert dispatcher.messages[0]["response"] == "utter_please_rephrase"


def failed_turns(count):
    events = []
    for index in range(count):
        events += [unsure(f"try {index}"), action("action_clarify"), bot("Did you mean ...?")]
        events += [user("/deny", "deny"), action("utter_clarify_something_else")]
    return events


@pytest.mark.parametrize(
    "segment, failures_before, offered",
    [
        (None, 1, False),
        (None, 2, True),
        ("standard", 2, True),
        ("high_value", 1, True),
        ("at_risk", 1, True),
        ("high_value", 0, False),
    ],
)
async def test_a_human_is_offered_after_repeated_failures_sooner_for_valued_customers(
    dispatcher, domain, segment, failures_before, offered
):
    conversation = tracker([*failed_turns(failures_before), unsure()], {"segment": segment})

    events = await ActionClarify().run(dispatcher, conversation, domain)

    if offered:
        assert dispatcher.messages[0]["response"] == "utter_offer_human_after_failures"
        assert events == [SlotSet("handoff_offer", "repeated_failure")]
    else:
        assert dispatcher.messages[0]["buttons"]


async def test_an_understood_message_resets_the_count(dispatcher, domain):
    events = [*failed_turns(2), user("where is my order", "track_order"), unsure()]
    await ActionClarify().run(dispatcher, tracker(events), domain)
    assert dispatcher.messages[0]["buttons"]


class RiskModel:
    def __init__(self, offer):
        self.offer, self.seen = offer, []

    def should_offer_human(self, profile, conversation):
        self.seen.append((profile, conversation))
        return self.offer


async def test_a_likely_escalation_gets_a_person_offered_at_the_first_failure(dispatcher, domain):
    from actions.insights_models import use_insights_models

    model = RiskModel(offer=True)
    use_insights_models(recommender=None, escalation=model)
    conversation = tracker([unsure("this is a joke")], {"segment": "at_risk", "tier": "gold"})

    events = await ActionClarify().run(dispatcher, conversation, domain)

    assert events == [SlotSet("handoff_offer", "escalation_risk")]
    assert dispatcher.messages[0]["response"] == "utter_offer_human_after_failures"
    profile, features = model.seen[0]
    assert profile == {"tier": "gold", "segment": "at_risk"}
    assert (features["intent"], features["turns"], features["fallbacks"]) == ("track_order", 1, 1)
    assert features["text"] == "this is a joke"


async def test_a_low_risk_conversation_is_clarified_as_usual(dispatcher, domain):
    from actions.insights_models import use_insights_models

    use_insights_models(recommender=None, escalation=RiskModel(offer=False))
    await ActionClarify().run(dispatcher, tracker([unsure()]), domain)
    assert dispatcher.messages[0]["buttons"]
