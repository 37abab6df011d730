import pytest
from rasa_sdk.events import (
    ActionExecuted,
    ActiveLoop,
    ConversationPaused,
    ConversationResumed,
    SlotSet,
)

from actions.clients import FakeSupportDeskClient
from actions.customer_data_action import use_client
from actions.handoff import (
    ActionHandoff,
    ActionHandoffClosed,
    ActionHandoffReturned,
    ActionOpenFollowupTicket,
    handoff_reason,
)
from actions.support_desk_action import use_support_desk
from tests.unit.actions.clients.samples import CUSTOMER_ID, make_profile
from tests.unit.actions.conversation_events import action, bot, tracker, user
from tests.unit.actions.live_data import installed_fake, sent

VERIFIED = {"customer_id": CUSTOMER_ID, "verified": True, "segment": "high_value"}
CARD = "4111 1111 1111 1111"


@pytest.fixture
def desk():
    desk = FakeSupportDeskClient()
    use_support_desk(desk)
    yield desk
    use_support_desk(None)


def conversation(*extra, slots=VERIFIED):
    return tracker(
        [
            user("where is ORD-482913", "track_order", entities={"order_id": "ORD-482913"}),
            action("action_check_order_status"),
            bot("It's on its way.", "utter_order_status"),
            user(f"it never came, I paid with {CARD}", "complaint"),
            action("action_record_complaint"),
            *extra,
            user("get me a person", "contact_human_agent"),
        ],
        slots,
    )


async def test_queues_with_summary_and_redacted_transcript_then_pauses(desk, dispatcher, domain):
    events = await ActionHandoff().run(dispatcher, conversation(), domain)

    assert events == [SlotSet("handoff_offer", None), ConversationPaused()]
    assert sent(dispatcher) == [("utter_handoff_queued", {"wait": 4})]
    [request] = desk.handoffs
    assert (request.conversation_id, request.channel) == ("conv-42", "socketio")
    assert (request.customer_id, request.segment) == (CUSTOMER_ID, "high_value")
    assert (request.reason, request.complaint) == ("customer_request", True)
    assert request.summary.intents == ["track_order", "complaint", "contact_human_agent"]
    assert request.summary.entities == {"order_id": "ORD-482913"}
    assert request.summary.tried == ["order status", "complaint recorded as a ticket"]
    texts = [line.text for line in request.transcript]
    assert [line.author for line in request.transcript] == ["customer", "assistant"] + [
        "customer"
    ] * 2
    assert all(CARD not in text for text in texts)
    assert texts[2] == "it never came, I paid with [card]"


async def test_an_anonymous_visitor_is_queued_without_customer_or_segment(desk, dispatcher, domain):
    await ActionHandoff().run(dispatcher, conversation(slots={"segment": "high_value"}), domain)
    [request] = desk.handoffs
    assert (request.customer_id, request.segment) == (None, None)


@pytest.mark.parametrize(
    "slots, extra, reason",
    [
        ({"handoff_offer": "repeated_failure"}, (), "repeated_failure"),
        ({"handoff_offer": "complaint"}, (), "complaint"),
        ({}, (bot("Sorry, I can't reach...", "utter_service_unavailable"),), "service_down"),
        ({}, (), "customer_request"),
    ],
)
def test_the_reason_comes_from_the_offer_or_the_conversation(slots, extra, reason):
    assert handoff_reason(conversation(*extra, slots=slots)) == reason


async def test_outside_business_hours_a_verified_customer_is_offered_a_ticket(
    desk, dispatcher, domain
):
    desk.open = False
    events = await ActionHandoff().run(dispatcher, conversation(), domain)

    assert events == [SlotSet("handoff_offer", "after_hours")]
    assert sent(dispatcher) == [("utter_handoff_after_hours", {"opening": "Tuesday 00:00 UTC"})]
    assert desk.handoffs == []


async def test_outside_business_hours_an_anonymous_visitor_gets_the_contacts(
    desk, dispatcher, domain
):
    desk.open = False
    events = await ActionHandoff().run(dispatcher, conversation(slots={}), domain)
    assert events == [SlotSet("handoff_offer", None)]
    assert sent(dispatcher)[0][0] == "utter_handoff_after_hours_anonymous"


async def test_a_desk_outage_gives_the_direct_contacts_and_does_not_pause(desk, dispatcher, domain):
    desk.failing = True
    events = await ActionHandoff().run(dispatcher, conversation(), domain)
    assert events == [SlotSet("handoff_offer", None)]
    assert sent(dispatcher) == [("utter_handoff_unavailable", {})]


async def test_follow_up_ticket_is_opened_for_the_customer(dispatcher, domain):
    fake = installed_fake()
    fake.add_customer(make_profile())
    try:
        conv = conversation(slots={**VERIFIED, "handoff_offer": "after_hours"})
        events = await ActionOpenFollowupTicket().run(dispatcher, conv, domain)
    finally:
        use_client(None)
    assert events == [SlotSet("handoff_offer", None)]
    [ticket] = fake.list_tickets(CUSTOMER_ID)
    assert ticket.category == "contact"
    assert "track_order, complaint, contact_human_agent" in ticket.subject
    assert sent(dispatcher) == [("utter_followup_ticket_opened", {"ticket_id": ticket.id})]


async def test_closing_resumes_and_starts_the_rating_form(dispatcher, domain):
    events = await ActionHandoffClosed().run(dispatcher, conversation(), domain)
    assert events == [
        ConversationResumed(),
        SlotSet("csat_due", True),
        ActiveLoop("csat_form"),
        SlotSet("requested_slot", "csat_rating"),
        ActionExecuted("action_listen"),
    ]
    assert [name for name, _ in sent(dispatcher)] == [
        "utter_handoff_closed",
        "utter_ask_csat_rating",
    ]


async def test_hand_back_resumes_the_assistant(dispatcher, domain):
    events = await ActionHandoffReturned().run(dispatcher, conversation(), domain)
    assert events == [ConversationResumed(), ActionExecuted("action_listen")]
    assert sent(dispatcher) == [("utter_handoff_returned", {})]
