import pytest
from rasa_sdk.events import FollowupAction, SlotSet

from actions.customer_data_action import use_client
from actions.verification import ActionCompleteVerification, ValidateVerifyIdentityForm, find_email
from tests.unit.actions.clients.samples import (
    CUSTOMER_ID,
    OTHER_CUSTOMER_ID,
    make_order,
    make_profile,
)
from tests.unit.actions.conftest import make_tracker
from tests.unit.actions.live_data import installed_fake, sent

FORM = "verify_identity_form"
JANES_ORDER = "ORD-000001"
MAXS_ORDER = "ORD-000007"
JANE = [
    SlotSet("customer_id", CUSTOMER_ID),
    SlotSet("customer_first_name", "Jane"),
    SlotSet("segment", "high_value"),
    SlotSet("tier", "silver"),
    SlotSet("verified", True),
    SlotSet("identity_source", "verification"),
    SlotSet("open_order_ids", [JANES_ORDER]),
    SlotSet("last_order_id", JANES_ORDER),
]
FORM_ENDS = SlotSet("requested_slot", None)


@pytest.fixture
def fake():
    client = installed_fake()
    client.add_customer(
        make_profile(), orders=[make_order(JANES_ORDER)], identities=[("email", "jane@example.com")]
    )
    client.add_customer(
        make_profile(OTHER_CUSTOMER_ID, first_name="Max", email="max@example.com"),
        orders=[make_order(MAXS_ORDER)],
        identities=[("email", "max@example.com")],
    )
    yield client
    use_client(None)


def answer(slot, value, text=None, **slots):
    """The form's tracker right after the customer answered `slot`."""
    return make_tracker(
        slots={"requested_slot": slot, **slots},
        just_set={slot: value},
        text=text if text is not None else str(value),
        active_loop=FORM,
    )


async def validate(tracker, dispatcher, domain):
    return await ValidateVerifyIdentityForm().run(dispatcher, tracker, domain)


# --- the answers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, email",
    [
        ("Jane@Example.com", "jane@example.com"),
        ("sure, it's jane.doe+shop@mail.example.co.uk.", "jane.doe+shop@mail.example.co.uk"),
        ("my email", None),
        ("jane@localhost", None),
    ],
)
def test_email_is_found_in_the_answer(text, email):
    assert find_email(text) == email


async def test_email_is_kept_until_the_order_number_is_there(fake, dispatcher, domain):
    events = await validate(answer("email", "it's Jane@Example.com"), dispatcher, domain)
    assert events == [SlotSet("email", "jane@example.com")]
    assert dispatcher.messages == []


async def test_malformed_email_is_asked_again(fake, dispatcher, domain):
    events = await validate(answer("email", "jane at example"), dispatcher, domain)
    assert events == [SlotSet("email", None)]
    assert sent(dispatcher) == [("utter_invalid_email", {})]


async def test_malformed_order_number_is_asked_again(fake, dispatcher, domain):
    tracker = answer("order_id", "the blue one", email="jane@example.com")
    assert await validate(tracker, dispatcher, domain) == [SlotSet("order_id", None)]
    assert sent(dispatcher) == [("utter_invalid_order_id", {})]


# --- the check ------------------------------------------------------------------------------


async def test_matching_details_verify_the_customer(fake, dispatcher, domain):
    tracker = answer("order_id", "it's 000001", email="jane@example.com")
    events = await validate(tracker, dispatcher, domain)
    assert events == [SlotSet("order_id", JANES_ORDER), *JANE]
    assert dispatcher.messages == []


async def test_prefilled_order_number_needs_only_the_email(fake, dispatcher, domain):
    tracker = answer("email", "JANE@example.com", order_id=JANES_ORDER)
    events = await validate(tracker, dispatcher, domain)
    assert events == [SlotSet("email", "jane@example.com"), *JANE]


@pytest.mark.parametrize(
    "email, order_id",
    [
        ("jane@example.com", MAXS_ORDER),  # a real order, but another customer's
        ("nobody@example.com", JANES_ORDER),  # an e-mail nobody has
        ("jane@example.com", "ORD-999999"),  # an order that doesn't exist
    ],
)
async def test_mismatch_says_so_without_saying_which_part(
    email, order_id, fake, dispatcher, domain
):
    tracker = answer("order_id", order_id, email=email)
    events = await validate(tracker, dispatcher, domain)
    assert events == [
        SlotSet("order_id", order_id),
        SlotSet("verification_attempts", 1),
        SlotSet("email", None),
        SlotSet("order_id", None),
    ]
    assert sent(dispatcher) == [("utter_verification_failed", {})]


async def test_third_mismatch_stops_the_form(fake, dispatcher, domain):
    tracker = answer("order_id", MAXS_ORDER, email="jane@example.com", verification_attempts=2)
    events = await validate(tracker, dispatcher, domain)
    assert events[-2:] == [SlotSet("order_id", None), FORM_ENDS]
    assert SlotSet("verification_attempts", 3) in events
    assert dispatcher.messages == []  # action_complete_verification says the rest


async def test_no_more_attempts_in_this_session(fake, dispatcher, domain):
    tracker = answer("email", "jane@example.com", verification_attempts=3)
    events = await validate(tracker, dispatcher, domain)
    assert events == [FORM_ENDS]


async def test_outage_ends_the_form_without_counting_an_attempt(fake, dispatcher, domain):
    fake.available = False
    tracker = answer("order_id", JANES_ORDER, email="jane@example.com")
    events = await validate(tracker, dispatcher, domain)
    assert events == [SlotSet("order_id", JANES_ORDER), FORM_ENDS]
    assert sent(dispatcher) == [("utter_service_unavailable", {})]


async def test_a_verified_customer_is_asked_nothing(fake, dispatcher, domain):
    slots = {"customer_id": CUSTOMER_ID, "verified": True, "identity_source": "web_token"}
    tracker = answer("email", "jane@example.com", **slots)
    assert await validate(tracker, dispatcher, domain) == [FORM_ENDS]


# --- action_complete_verification -----------------------------------------------------------


async def test_success_confirms_and_resumes_the_flow(dispatcher, domain):
    slots = {
        "customer_id": CUSTOMER_ID,
        "verified": True,
        "identity_source": "verification",
        "email": "jane@example.com",
        "pending_action": "track_order_form",
        "verification_offered": True,
    }
    events = await ActionCompleteVerification().run(dispatcher, make_tracker(slots), domain)
    assert events == [
        SlotSet("email", None),
        SlotSet("pending_action", None),
        SlotSet("verification_offered", None),
        FollowupAction("track_order_form"),
    ]
    assert sent(dispatcher) == [("utter_verified", {})]


async def test_exhausted_attempts_offer_a_person(dispatcher, domain):
    slots = {"verification_attempts": 3, "pending_action": "cancel_order_form"}
    events = await ActionCompleteVerification().run(dispatcher, make_tracker(slots), domain)
    assert events == [SlotSet("email", None), SlotSet("pending_action", None)]
    assert sent(dispatcher) == [
        ("utter_verification_failed_final", {}),
        ("utter_offer_human_handoff", {}),
    ]


async def test_outage_was_already_explained(dispatcher, domain):
    events = await ActionCompleteVerification().run(dispatcher, make_tracker({}), domain)
    assert events == [SlotSet("email", None), SlotSet("pending_action", None)]
    assert dispatcher.messages == []


def test_verification_is_declared_in_the_domain(domain):
    assert domain["forms"][FORM]["required_slots"] == ["email", "order_id"]
    for name in ["validate_verify_identity_form", "action_complete_verification"]:
        assert name in domain["actions"]
    for response in [
        "utter_offer_verification",
        "utter_ask_verify_identity_form_email",
        "utter_ask_verify_identity_form_order_id",
        "utter_invalid_email",
        "utter_verification_failed",
        "utter_verification_failed_final",
        "utter_verified",
        "utter_offer_human_handoff",
    ]:
        assert response in domain["responses"]
