"""create_ticket and update_contact_details: one contract for the fake and the HTTP client.

The scripted server answers like the service (`customer_data.account_service`): a ticket for
the known customer, the service's 409/422/404 error bodies otherwise.
"""

import json

import pytest

from actions.clients.errors import InvalidRequest, NotFound, RuleViolation, ServiceUnavailable
from actions.clients.fake_customer_data import FakeCustomerDataClient
from actions.clients.http_customer_data import HttpCustomerDataClient
from customer_data.schemas import ContactDetailsOut, TicketOut
from tests.unit.actions.clients.samples import CUSTOMER_ID, NOW, OTHER_CUSTOMER_ID, make_profile
from tests.unit.actions.clients.scripted_server import Reply, ScriptedServer, error

UNKNOWN_CUSTOMER_ID = "C0009999"
OTHER_EMAIL = "other@example.com"
TICKET = TicketOut(
    id="T-9000001",
    category="feedback",
    channel="chat",
    subject="Great service",
    status="open",
    opened_at=NOW,
    resolved_at=None,
    satisfaction=None,
)


class PatchingServer(ScriptedServer):
    """The scripted server, also answering PATCH requests."""

    def _handler_class(self) -> type:
        handler = super()._handler_class()
        handler.do_PATCH = handler.do_GET
        return handler


@pytest.fixture
def server():
    scripted = PatchingServer().start()
    yield scripted
    scripted.stop()


def service_route(seen):
    """The service's answers for CUSTOMER_ID (a German customer, see `make_profile`)."""
    customer_path = f"/api/customers/{CUSTOMER_ID}"
    if seen.method == "POST" and seen.path == customer_path + "/tickets":
        body = seen.json()
        return Reply(201, TICKET.copy(update={"subject": body["subject"]}))
    if seen.method == "PATCH" and seen.path == customer_path:
        body = seen.json()
        if body["email"] == OTHER_EMAIL:
            return error(409, "rule_violation", "this e-mail address belongs to another account")
        if body["phone"] == "1234":
            details = [{"loc": ["body", "phone"], "msg": "too short", "type": "value_error"}]
            return error(422, "validation_error", "the request is not valid", details)
        phone = "+4917612345678" if body["phone"] else "+4915112345678"
        return Reply(
            200,
            {
                "customer_id": CUSTOMER_ID,
                "email": body["email"] or "jane@example.com",
                "phone": phone,
            },
        )
    return error(404, "not_found", f"no customer at {seen.path}")


@pytest.fixture(params=["fake", "http"])
def client(request):
    if request.param == "fake":
        fake = FakeCustomerDataClient(now=lambda: NOW)
        fake.add_customer(make_profile(), identities={("email", "jane@example.com")})
        fake.add_customer(make_profile(OTHER_CUSTOMER_ID, email=OTHER_EMAIL))
        yield fake
        return
    server = request.getfixturevalue("server")
    server.route(service_route)
    http = HttpCustomerDataClient(server.url, "token")
    yield http
    http.close()


# --- create_ticket --------------------------------------------------------------------------


def test_create_ticket_returns_the_open_chat_ticket(client):
    ticket = client.create_ticket(CUSTOMER_ID, "feedback", "Great service")

    assert ticket == TICKET


@pytest.mark.parametrize(
    "category, subject",
    [("praise", "Nice"), ("feedback", ""), ("feedback", "   "), ("feedback", "x" * 301)],
)
def test_an_invalid_ticket_is_refused_before_sending(client, category, subject):
    with pytest.raises(InvalidRequest) as raised:
        client.create_ticket(CUSTOMER_ID, category, subject)
    assert raised.value.code == "validation_error"


def test_a_ticket_for_an_unknown_customer_is_not_found(client):
    with pytest.raises(NotFound):
        client.create_ticket(UNKNOWN_CUSTOMER_ID, "feedback", "Hello")


# --- update_contact_details -----------------------------------------------------------------


def test_update_the_phone_number_reads_it_in_the_customers_country(client):
    result = client.update_contact_details(CUSTOMER_ID, phone="0176 12345678")

    assert result == ContactDetailsOut(
        customer_id=CUSTOMER_ID, email="jane@example.com", phone="+4917612345678"
    )


def test_update_the_email_address_lower_cases_it(client):
    result = client.update_contact_details(CUSTOMER_ID, email="Jane.New@Example.org")

    assert result.email == "jane.new@example.org"
    assert result.phone == "+4915112345678"


def test_an_email_of_another_customer_is_a_rule_violation(client):
    with pytest.raises(RuleViolation) as raised:
        client.update_contact_details(CUSTOMER_ID, email=OTHER_EMAIL)
    assert raised.value.reason == "this e-mail address belongs to another account"


def test_an_unreadable_phone_number_is_an_invalid_request(client):
    with pytest.raises(InvalidRequest) as raised:
        client.update_contact_details(CUSTOMER_ID, phone="1234")
    assert raised.value.details[0]["loc"] == ["body", "phone"]


@pytest.mark.parametrize("fields", [{}, {"email": "not-an-address"}])
def test_nothing_or_a_malformed_email_is_refused_before_sending(client, fields):
    with pytest.raises(InvalidRequest):
        client.update_contact_details(CUSTOMER_ID, **fields)


# --- HTTP specifics -------------------------------------------------------------------------


@pytest.fixture
def http(server):
    client = HttpCustomerDataClient(server.url, "token")
    yield client
    client.close()


def test_http_create_ticket_posts_the_body(server, http):
    server.reply(Reply(201, TICKET))

    http.create_ticket(CUSTOMER_ID, "feedback", "  Great service ")

    [seen] = server.requests
    assert (seen.method, seen.path) == ("POST", f"/api/customers/{CUSTOMER_ID}/tickets")
    assert seen.json() == {"category": "feedback", "subject": "Great service", "channel": "chat"}


def test_http_update_contact_details_patches_the_customer(server, http):
    server.reply(Reply(200, {"customer_id": CUSTOMER_ID, "email": "a@example.org", "phone": None}))

    http.update_contact_details(CUSTOMER_ID, email="A@example.org")

    [seen] = server.requests
    assert (seen.method, seen.path) == ("PATCH", f"/api/customers/{CUSTOMER_ID}")
    assert json.loads(seen.body) == {"email": "a@example.org", "phone": None}


def test_http_a_post_that_reached_the_service_is_not_repeated(server, http):
    server.reply(Reply(drop=True))

    with pytest.raises(ServiceUnavailable):
        http.create_ticket(CUSTOMER_ID, "feedback", "Hello")
    assert len(server.requests) == 1


# --- fake specifics -------------------------------------------------------------------------


@pytest.fixture
def fake():
    fake = FakeCustomerDataClient(now=lambda: NOW)
    fake.add_customer(make_profile(), identities={("email", "jane@example.com")})
    return fake


def test_fake_tickets_are_listed_newest_first_with_new_ids(fake):
    first = fake.create_ticket(CUSTOMER_ID, "feedback", "One")
    second = fake.create_ticket(CUSTOMER_ID, "delivery", "Two")

    assert (first.id, second.id) == ("T-9000001", "T-9000002")
    assert {ticket.id for ticket in fake.list_tickets(CUSTOMER_ID)} == {first.id, second.id}


def test_fake_profile_and_email_identity_follow_the_change(fake):
    fake.update_contact_details(CUSTOMER_ID, email="jane.new@example.org")

    assert fake.get_profile(CUSTOMER_ID).email == "jane.new@example.org"
    assert fake.find_profile("email", "jane.new@example.org").customer_id == CUSTOMER_ID
    assert fake.find_profile("email", "jane@example.com") is None


def test_fake_a_new_email_finds_a_customer_who_had_no_email_identity(fake):
    fake.add_customer(make_profile(OTHER_CUSTOMER_ID, email="other@example.com"))

    fake.update_contact_details(OTHER_CUSTOMER_ID, email="other.new@example.org")

    assert fake.find_profile("email", "other.new@example.org").customer_id == OTHER_CUSTOMER_ID


def test_fake_outage(fake):
    fake.available = False
    with pytest.raises(ServiceUnavailable):
        fake.create_ticket(CUSTOMER_ID, "feedback", "Hello")
    with pytest.raises(ServiceUnavailable):
        fake.update_contact_details(CUSTOMER_ID, phone="0176 12345678")
