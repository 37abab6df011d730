import pytest
from rasa_sdk.events import SlotSet

from actions.customer_data_action import use_client
from actions.feedback import ActionRecordComplaint, ActionRecordReview, complaint_category
from tests.unit.actions.clients.samples import CUSTOMER_ID, NOW, make_profile
from tests.unit.actions.live_data import ANONYMOUS, VERIFIED, installed_fake, make_tracker, sent


@pytest.fixture
def fake():
    client = installed_fake()
    client.add_customer(make_profile())
    yield client
    use_client(None)


def tickets(fake):
    return [(t.category, t.channel, t.subject, t.status) for t in fake.list_tickets(CUSTOMER_ID)]


# --- complaints -----------------------------------------------------------------------------


async def test_a_complaint_is_registered_as_a_ticket_for_the_team_it_names(
    fake, dispatcher, domain
):
    tracker = make_tracker(VERIFIED, "Your  delivery driver was\nrude to me", "complaint")

    events = await ActionRecordComplaint().run(dispatcher, tracker, domain)

    assert events == []
    assert sent(dispatcher) == [("utter_complaint_recorded", {"ticket_id": "T-9000001"})]
    assert tickets(fake) == [("delivery", "chat", "Your delivery driver was rude to me", "open")]
    assert fake.list_tickets(CUSTOMER_ID)[0].opened_at == NOW


@pytest.mark.parametrize(
    "text, earlier, category",
    [
        ("the refund for my order still hasn't come", (), "refunds"),
        ("you charged my card twice", (), "payments"),
        ("the invoice is wrong again", (), "invoices"),
        ("I can't log in to my account, this is ridiculous", (), "account"),
        ("this is the third time my order is wrong", (), "orders"),
        ("this is unacceptable", ("greet", "track_refund"), "refunds"),
        ("this is unacceptable", ("get_invoice", "affirm"), "invoices"),
        ("this is unacceptable", ("greet",), "feedback"),
        ("this is unacceptable", (), "feedback"),
    ],
)
def test_the_category_comes_from_the_message_or_the_topic_before(text, earlier, category):
    tracker = make_tracker(VERIFIED, text, "complaint", earlier_intents=earlier)
    assert complaint_category(tracker) == category


async def test_a_long_complaint_is_cut_to_the_subject_length(fake, dispatcher, domain):
    tracker = make_tracker(VERIFIED, "Terrible! " + "x" * 400, "complaint")

    await ActionRecordComplaint().run(dispatcher, tracker, domain)

    [(_, _, subject, _)] = tickets(fake)
    assert subject == "Terrible! " + "x" * 290


async def test_a_complaint_from_a_button_without_text_gets_a_default_subject(
    fake, dispatcher, domain
):
    await ActionRecordComplaint().run(dispatcher, make_tracker(VERIFIED, "", "complaint"), domain)

    assert tickets(fake) == [("feedback", "chat", "Complaint via chat", "open")]


async def test_an_anonymous_complaint_gets_the_general_answer_and_nothing_is_stored(
    fake, dispatcher, domain
):
    tracker = make_tracker(ANONYMOUS, "your service is terrible", "complaint")

    events = await ActionRecordComplaint().run(dispatcher, tracker, domain)

    assert events == []
    assert sent(dispatcher) == [("utter_complaint", {})]
    assert tickets(fake) == []


async def test_a_complaint_during_an_outage(fake, dispatcher, domain):
    fake.available = False
    tracker = make_tracker(VERIFIED, "your service is terrible", "complaint")

    events = await ActionRecordComplaint().run(dispatcher, tracker, domain)

    assert events == []
    assert sent(dispatcher) == [("utter_service_unavailable", {})]


# --- reviews --------------------------------------------------------------------------------


async def test_a_review_is_kept_as_a_feedback_ticket(fake, dispatcher, domain):
    tracker = make_tracker(VERIFIED, "the kettle is great, five stars", "review")

    events = await ActionRecordReview().run(dispatcher, tracker, domain)

    assert events == []
    assert sent(dispatcher) == [("utter_review_recorded", {"ticket_id": "T-9000001"})]
    assert tickets(fake) == [("feedback", "chat", "the kettle is great, five stars", "open")]


async def test_an_anonymous_review_gets_the_general_answer(fake, dispatcher, domain):
    tracker = make_tracker(ANONYMOUS, "the kettle is great", "review")

    events = await ActionRecordReview().run(dispatcher, tracker, domain)

    assert events == []
    assert sent(dispatcher) == [("utter_review", {})]
    assert tickets(fake) == []


async def test_a_review_during_an_outage(fake, dispatcher, domain):
    fake.available = False
    tracker = make_tracker(VERIFIED, "the kettle is great", "review")

    events = await ActionRecordReview().run(dispatcher, tracker, domain)

    assert events == []
    assert sent(dispatcher) == [("utter_service_unavailable", {})]


async def test_a_standing_verification_offer_is_withdrawn(fake, dispatcher, domain):
    from rasa_sdk.events import SlotSet

    tracker = make_tracker({**ANONYMOUS, "verification_offered": True}, "meh", "review")

    events = await ActionRecordReview().run(dispatcher, tracker, domain)

    assert events == [SlotSet("verification_offered", None)]


def test_every_response_and_action_is_in_the_domain(domain):
    from actions import feedback

    responses = {value for key, value in vars(feedback).items() if key.startswith("UTTER_")}
    assert responses <= set(domain["responses"])
    assert {"action_record_complaint", "action_record_review"} <= set(domain["actions"])


@pytest.mark.parametrize(
    "segment, handed_over", [("high_value", True), ("at_risk", True), ("standard", False)]
)
async def test_a_valued_customers_complaint_also_goes_to_a_person(
    fake, dispatcher, domain, segment, handed_over
):
    tracker = make_tracker({**VERIFIED, "segment": segment}, "this is a disgrace", "complaint")

    events = await ActionRecordComplaint().run(dispatcher, tracker, domain)

    assert events == ([SlotSet("handoff_offer", "complaint")] if handed_over else [])
    assert len(fake.list_tickets(CUSTOMER_ID)) == 1
