import pytest
from rasa_sdk.events import SlotSet

from actions.account import (
    ActionAskContactChangeConfirmed,
    ActionDeleteAccount,
    ActionUpdateContactDetails,
    ValidateDeleteAccountForm,
    ValidateEditAccountForm,
)
from actions.clients import NotFound
from actions.customer_data_action import use_client
from actions.newsletter import ActionUpdateNewsletter, ValidateNewsletterForm
from actions.session import anonymous_events
from tests.unit.actions.clients.samples import (
    CUSTOMER_ID,
    OTHER_CUSTOMER_ID,
    make_profile,
)
from tests.unit.actions.live_data import (
    ANONYMOUS,
    VERIFIED,
    installed_fake,
    make_tracker,
    offer_events,
    sent,
)

NEW_EMAIL = "jane.new@example.org"
FORM_ENDS = [SlotSet("requested_slot", None)]
CLEARED_CONTACT = [
    SlotSet("email", None),
    SlotSet("phone_number", None),
    SlotSet("contact_change_confirmed", None),
]
CLEARED_NEWSLETTER = [
    SlotSet("newsletter_subscribed", None),
    SlotSet("newsletter_change_confirmed", None),
]


@pytest.fixture
def fake():
    client = installed_fake()
    client.add_customer(
        make_profile(consents={"newsletter": True}), identities={("email", "jane@example.com")}
    )
    client.add_customer(make_profile(OTHER_CUSTOMER_ID, email="taken@example.com"))
    yield client
    use_client(None)


# --- edit_account_form ----------------------------------------------------------------------


async def test_the_form_asks_a_verified_customer_who_named_a_new_address(fake, dispatcher, domain):
    tracker = make_tracker(
        {**VERIFIED, "email": NEW_EMAIL},
        f"change my email to {NEW_EMAIL}",
        "edit_account",
        {"email": NEW_EMAIL},
        active_loop="edit_account_form",
    )

    events = await ValidateEditAccountForm().run(dispatcher, tracker, domain)

    assert events == []  # Rasa asks for contact_change_confirmed
    assert dispatcher.messages == []


async def test_an_address_remembered_from_earlier_is_not_offered(fake, dispatcher, domain):
    tracker = make_tracker(
        {**VERIFIED, "email": "earlier@example.org"},
        "I want to update my details",
        "edit_account",
        active_loop="edit_account_form",
    )

    events = await ValidateEditAccountForm().run(dispatcher, tracker, domain)

    assert events == [SlotSet("email", None)] + FORM_ENDS


async def test_the_form_asks_nothing_of_an_anonymous_visitor(fake, dispatcher, domain):
    tracker = make_tracker(
        {**ANONYMOUS, "email": NEW_EMAIL},
        f"change my email to {NEW_EMAIL}",
        "edit_account",
        {"email": NEW_EMAIL},
        active_loop="edit_account_form",
    )

    events = await ValidateEditAccountForm().run(dispatcher, tracker, domain)

    assert events == FORM_ENDS


@pytest.mark.parametrize(
    "slots, response",
    [
        ({"email": NEW_EMAIL}, "utter_ask_email_change"),
        ({"phone_number": "0176 12345678"}, "utter_ask_phone_change"),
        ({"email": NEW_EMAIL, "phone_number": "0176 12345678"}, "utter_ask_contact_change"),
    ],
)
async def test_the_question_names_what_changes(slots, response, dispatcher, domain):
    tracker = make_tracker({**VERIFIED, **slots})

    events = await ActionAskContactChangeConfirmed().run(dispatcher, tracker, domain)

    assert events == []
    expected = {"email": slots.get("email"), "phone_number": slots.get("phone_number")}
    assert sent(dispatcher) == [(response, expected)]
    assert response in domain["responses"]


def contact_tracker(identity=VERIFIED, confirmed=True, **slots):
    return make_tracker({**identity, "contact_change_confirmed": confirmed, **slots}, "yes")


async def test_a_confirmed_email_change_is_made(fake, dispatcher, domain):
    tracker = contact_tracker(email="Jane.New@Example.org")

    events = await ActionUpdateContactDetails().run(dispatcher, tracker, domain)

    assert events == CLEARED_CONTACT
    assert sent(dispatcher) == [("utter_email_updated", {"email": NEW_EMAIL})]
    assert fake.get_profile(CUSTOMER_ID).email == NEW_EMAIL


async def test_a_confirmed_change_of_both(fake, dispatcher, domain):
    tracker = contact_tracker(email=NEW_EMAIL, phone_number="0176 12345678")

    await ActionUpdateContactDetails().run(dispatcher, tracker, domain)

    assert sent(dispatcher) == [
        ("utter_email_updated", {"email": NEW_EMAIL}),
        ("utter_phone_updated", {"phone_number": "+4917612345678"}),
    ]
    assert fake.get_profile(CUSTOMER_ID).phone == "+4917612345678"


async def test_a_no_keeps_the_details(fake, dispatcher, domain):
    tracker = contact_tracker(confirmed=False, email=NEW_EMAIL)

    events = await ActionUpdateContactDetails().run(dispatcher, tracker, domain)

    assert events == CLEARED_CONTACT
    assert sent(dispatcher) == [("utter_contact_change_kept", {})]
    assert fake.get_profile(CUSTOMER_ID).email == "jane@example.com"


async def test_without_a_new_address_the_customer_is_told_what_can_change(fake, dispatcher, domain):
    tracker = contact_tracker(confirmed=None)

    events = await ActionUpdateContactDetails().run(dispatcher, tracker, domain)

    assert events == CLEARED_CONTACT
    assert sent(dispatcher) == [("utter_edit_account_options", {})]


@pytest.mark.parametrize(
    "slots, response",
    [
        ({"email": "taken@example.com"}, ("utter_email_taken", {"email": "taken@example.com"})),
        ({"email": "jane@@example"}, ("utter_invalid_new_email", {"email": "jane@@example"})),
        ({"phone_number": "1234"}, ("utter_invalid_new_phone", {"phone_number": "1234"})),
    ],
)
async def test_a_refused_change_says_why_and_changes_nothing(
    slots, response, fake, dispatcher, domain
):
    events = await ActionUpdateContactDetails().run(dispatcher, contact_tracker(**slots), domain)

    assert events == CLEARED_CONTACT
    assert sent(dispatcher) == [response]
    profile = fake.get_profile(CUSTOMER_ID)
    assert (profile.email, profile.phone) == ("jane@example.com", "+4915112345678")


async def test_an_anonymous_visitor_is_told_where_and_offered_verification(
    fake, dispatcher, domain
):
    tracker = contact_tracker(ANONYMOUS, confirmed=None, email=NEW_EMAIL)

    events = await ActionUpdateContactDetails().run(dispatcher, tracker, domain)

    # the typed address is not kept: verification asks for the e-mail on file
    assert events == CLEARED_CONTACT + offer_events("action_update_contact_details")
    assert sent(dispatcher) == [("utter_edit_account", {})]


async def test_a_contact_change_during_an_outage(fake, dispatcher, domain):
    fake.available = False

    events = await ActionUpdateContactDetails().run(
        dispatcher, contact_tracker(email=NEW_EMAIL), domain
    )

    assert events == CLEARED_CONTACT
    assert sent(dispatcher) == [("utter_service_unavailable", {})]


# --- delete_account_form --------------------------------------------------------------------


async def test_the_deletion_is_confirmed_by_verified_customers_only(fake, dispatcher, domain):
    form = ValidateDeleteAccountForm()
    verified = make_tracker(VERIFIED, "delete my account", "delete_account")
    anonymous = make_tracker(ANONYMOUS, "delete my account", "delete_account")

    assert await form.run(dispatcher, verified, domain) == []  # Rasa asks delete_confirmed
    assert await form.run(dispatcher, anonymous, domain) == FORM_ENDS


async def test_a_confirmed_deletion_erases_the_customer_and_forgets_them(fake, dispatcher, domain):
    tracker = make_tracker({**VERIFIED, "delete_confirmed": True, "order_id": "ORD-000001"})

    events = await ActionDeleteAccount().run(dispatcher, tracker, domain)

    assert sent(dispatcher) == [("utter_account_deleted", {})]
    assert events == anonymous_events() + [
        SlotSet("pending_action", None),
        SlotSet("order_id", None),
        SlotSet("email", None),
        SlotSet("phone_number", None),
        SlotSet("delete_confirmed", None),
    ]
    assert SlotSet("verified", False) in events and SlotSet("customer_id", None) in events
    with pytest.raises(NotFound):
        fake.get_profile(CUSTOMER_ID)
    assert fake.find_profile("email", "jane@example.com") is None


async def test_a_no_keeps_the_account(fake, dispatcher, domain):
    tracker = make_tracker({**VERIFIED, "delete_confirmed": False})

    events = await ActionDeleteAccount().run(dispatcher, tracker, domain)

    assert events == [SlotSet("delete_confirmed", None)]
    assert sent(dispatcher) == [("utter_account_kept", {})]
    assert fake.get_profile(CUSTOMER_ID).customer_id == CUSTOMER_ID


async def test_deleting_an_already_erased_account_says_it_is_deleted(fake, dispatcher, domain):
    fake.erase_customer(CUSTOMER_ID)
    tracker = make_tracker({**VERIFIED, "delete_confirmed": True})

    await ActionDeleteAccount().run(dispatcher, tracker, domain)

    assert sent(dispatcher) == [("utter_account_deleted", {})]


async def test_deletion_for_an_anonymous_visitor(fake, dispatcher, domain):
    tracker = make_tracker(ANONYMOUS, "delete my account", "delete_account")

    events = await ActionDeleteAccount().run(dispatcher, tracker, domain)

    assert events == [SlotSet("delete_confirmed", None)] + offer_events("delete_account_form")
    assert sent(dispatcher) == [("utter_delete_account", {})]


async def test_deletion_during_an_outage_deletes_nothing(fake, dispatcher, domain):
    fake.available = False
    tracker = make_tracker({**VERIFIED, "delete_confirmed": True})

    events = await ActionDeleteAccount().run(dispatcher, tracker, domain)

    assert events == [SlotSet("delete_confirmed", None)]
    assert sent(dispatcher) == [("utter_service_unavailable", {})]
    fake.available = True
    assert fake.get_profile(CUSTOMER_ID).customer_id == CUSTOMER_ID


# --- newsletter_form ------------------------------------------------------------------------


async def test_the_newsletter_form_reads_the_consent_first(fake, dispatcher, domain):
    tracker = make_tracker(VERIFIED, "unsubscribe me", "newsletter_subscription")

    events = await ValidateNewsletterForm().run(dispatcher, tracker, domain)

    # the question's wording follows newsletter_subscribed; Rasa asks it
    assert events == [SlotSet("newsletter_subscribed", True)]


async def test_the_newsletter_form_ends_when_the_consent_cannot_be_read(fake, dispatcher, domain):
    fake.available = False
    tracker = make_tracker(VERIFIED, "unsubscribe me", "newsletter_subscription")

    events = await ValidateNewsletterForm().run(dispatcher, tracker, domain)

    assert events == [SlotSet("newsletter_subscribed", None)] + FORM_ENDS


async def test_the_newsletter_form_asks_nothing_of_an_anonymous_visitor(fake, dispatcher, domain):
    tracker = make_tracker(ANONYMOUS, "unsubscribe me", "newsletter_subscription")

    assert await ValidateNewsletterForm().run(dispatcher, tracker, domain) == FORM_ENDS


def test_the_question_depends_on_the_current_consent(domain):
    variations = domain["responses"]["utter_ask_newsletter_form_newsletter_change_confirmed"]
    conditioned = [v for v in variations if v.get("condition")]
    assert [v["condition"] for v in conditioned] == [
        [{"type": "slot", "name": "newsletter_subscribed", "value": True}]
    ]
    assert "unsubscribe" in conditioned[0]["text"]


@pytest.mark.parametrize(
    "subscribed, response, granted",
    [(True, "utter_newsletter_unsubscribed", False), (False, "utter_newsletter_subscribed", True)],
)
async def test_a_yes_switches_the_consent(subscribed, response, granted, fake, dispatcher, domain):
    tracker = make_tracker(
        {**VERIFIED, "newsletter_subscribed": subscribed, "newsletter_change_confirmed": True}
    )

    events = await ActionUpdateNewsletter().run(dispatcher, tracker, domain)

    assert events == CLEARED_NEWSLETTER
    assert sent(dispatcher) == [(response, {})]
    [consent] = [c for c in fake.get_consents(CUSTOMER_ID) if c.purpose == "newsletter"]
    assert (consent.granted, consent.source) == (granted, "chat")


async def test_a_no_leaves_the_newsletter_as_it_is(fake, dispatcher, domain):
    tracker = make_tracker(
        {**VERIFIED, "newsletter_subscribed": True, "newsletter_change_confirmed": False}
    )

    events = await ActionUpdateNewsletter().run(dispatcher, tracker, domain)

    assert events == CLEARED_NEWSLETTER
    assert sent(dispatcher) == [("utter_newsletter_unchanged", {})]
    assert fake.get_profile(CUSTOMER_ID).consents["newsletter"] is True


async def test_without_an_answer_the_current_setting_is_told(fake, dispatcher, domain):
    events = await ActionUpdateNewsletter().run(dispatcher, make_tracker(VERIFIED), domain)

    assert events == CLEARED_NEWSLETTER
    assert sent(dispatcher) == [("utter_newsletter_status_subscribed", {})]


async def test_newsletter_for_an_anonymous_visitor(fake, dispatcher, domain):
    events = await ActionUpdateNewsletter().run(dispatcher, make_tracker(ANONYMOUS), domain)

    assert events == CLEARED_NEWSLETTER + offer_events("newsletter_form")
    assert sent(dispatcher) == [("utter_newsletter_subscription", {})]


async def test_newsletter_during_an_outage(fake, dispatcher, domain):
    fake.available = False
    tracker = make_tracker(
        {**VERIFIED, "newsletter_subscribed": True, "newsletter_change_confirmed": True}
    )

    events = await ActionUpdateNewsletter().run(dispatcher, tracker, domain)

    assert events == CLEARED_NEWSLETTER
    assert sent(dispatcher) == [("utter_service_unavailable", {})]


def test_every_response_action_form_and_slot_is_in_the_domain(domain):
    from actions import account, newsletter

    for module in (account, newsletter):
        responses = {value for key, value in vars(module).items() if key.startswith("UTTER_")}
        assert responses <= set(domain["responses"])
    assert {
        "action_ask_contact_change_confirmed",
        "action_update_contact_details",
        "action_delete_account",
        "action_update_newsletter",
        "validate_edit_account_form",
        "validate_delete_account_form",
        "validate_newsletter_form",
    } <= set(domain["actions"])
    assert {"edit_account_form", "delete_account_form", "newsletter_form"} <= set(domain["forms"])
    assert {
        "contact_change_confirmed",
        "delete_confirmed",
        "newsletter_subscribed",
        "newsletter_change_confirmed",
    } <= set(domain["slots"])
