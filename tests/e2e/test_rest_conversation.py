"""Real conversations over the REST channel with every server running (general flows)."""

import uuid
from typing import Any, Dict, List, Optional

import requests
import sqlalchemy as sa

from actions.identity import issue_customer_token


def post(
    servers, sender: str, message: str, metadata: Optional[Dict[str, Any]] = None
) -> List[Dict[str, Any]]:
    body: Dict[str, Any] = {"sender": sender, "message": message}
    if metadata is not None:
        body["metadata"] = metadata  # the web page's signed customer token travels here
    response = requests.post(f"{servers['rasa']}/webhooks/rest/webhook", json=body, timeout=30)
    response.raise_for_status()
    return response.json()


def say(servers, sender: str, message: str, metadata: Optional[Dict[str, Any]] = None) -> List[str]:
    return [part.get("text", "") for part in post(servers, sender, message, metadata)]


def test_where_is_my_order_conversation(servers):
    sender = f"e2e-{uuid.uuid4()}"
    greeting = say(servers, sender, "hi")
    assert any("Brightcart" in text for text in greeting)

    ask = say(servers, sender, "where is my order?")
    assert any("order" in text.lower() and "ORD-" in text for text in ask), ask

    answer = say(servers, sender, "it's 583920")
    assert any("ORD-583920" in text for text in answer), answer  # validated by the action server

    bye = say(servers, sender, "thanks, bye")
    assert bye


def test_anonymous_cancellation_gets_instructions_and_the_offer_to_verify(servers):
    sender = f"e2e-{uuid.uuid4()}"
    response = post(servers, sender, "please cancel order ORD-482913")
    instructions, offer = response[-2], response[-1]
    assert "ORD-482913" in instructions["text"]  # the number was validated by the action server
    assert [button["payload"] for button in offer["buttons"]] == ["/affirm", "/deny"]
    declined = say(servers, sender, "/deny")
    assert any("Alright" in text for text in declined), declined


def test_accepting_the_offer_asks_for_the_email(servers):
    sender = f"e2e-{uuid.uuid4()}"
    say(servers, sender, "where is order ORD-482913?")
    ask = say(servers, sender, "/affirm")
    assert any("e-mail" in text for text in ask), ask
    stopped = say(servers, sender, "no, never mind")
    assert any("stopped" in text for text in stopped), stopped


def test_a_forged_token_gets_no_personal_answer(servers):
    sender = f"e2e-{uuid.uuid4()}"
    forged = issue_customer_token("C0000001", "not-the-secret-of-this-deployment-0123")
    greeting = say(servers, sender, "hi", metadata={"customer_token": forged})
    assert any("Brightcart" in text for text in greeting), greeting
    answer = say(servers, sender, "where is order ORD-482913?", metadata={"customer_token": forged})
    assert any("My account > Orders" in text for text in answer), answer  # the general answer


def test_conversation_is_stored_without_personal_data(servers):
    sender = f"e2e-{uuid.uuid4()}"
    say(servers, sender, "hello")
    say(servers, sender, "my email is jane.doe@example.com, call me on +44 7700 900123")
    engine = sa.create_engine(f"sqlite:///{servers['tracker_db']}")
    with engine.connect() as connection:
        rows = (
            connection.execute(
                sa.text("select data from events where sender_id = :sender"), {"sender": sender}
            )
            .scalars()
            .all()
        )
    assert len(rows) > 0
    assert not any("jane.doe@example.com" in row or "7700 900123" in row for row in rows)
    assert any("[email]" in row for row in rows)


def test_bad_requests_get_an_error_not_a_crash(servers):
    url = f"{servers['rasa']}/webhooks/rest/webhook"
    assert requests.post(url, data="not json", timeout=10).status_code >= 400
    # The server keeps serving afterwards.
    assert say(servers, f"e2e-{uuid.uuid4()}", "hi")
