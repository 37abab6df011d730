"""Real conversations over the REST channel with both servers running."""

import uuid
from typing import List

import requests
import sqlalchemy as sa


def say(servers, sender: str, message: str) -> List[str]:
    response = requests.post(
        f"{servers['rasa']}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=30,
    )
    response.raise_for_status()
    return [part.get("text", "") for part in response.json()]


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


def test_cancellation_asks_for_confirmation_with_buttons(servers):
    sender = f"e2e-{uuid.uuid4()}"
    response = requests.post(
        f"{servers['rasa']}/webhooks/rest/webhook",
        json={"sender": sender, "message": "please cancel order ORD-482913"},
        timeout=30,
    ).json()
    confirmation = response[-1]
    assert "ORD-482913" in confirmation["text"]
    assert [button["payload"] for button in confirmation["buttons"]] == ["/affirm", "/deny"]
    kept = say(servers, sender, "/deny")
    assert any("stays as it is" in text for text in kept), kept


def test_conversation_is_stored_in_the_tracker_store(servers):
    sender = f"e2e-{uuid.uuid4()}"
    say(servers, sender, "hello")
    engine = sa.create_engine(f"sqlite:///{servers['tracker_db']}")
    with engine.connect() as connection:
        count = connection.execute(
            sa.text("select count(*) from events where sender_id = :sender"), {"sender": sender}
        ).scalar_one()
    assert count > 0


def test_bad_requests_get_an_error_not_a_crash(servers):
    url = f"{servers['rasa']}/webhooks/rest/webhook"
    assert requests.post(url, data="not json", timeout=10).status_code >= 400
    # The server keeps serving afterwards.
    assert say(servers, f"e2e-{uuid.uuid4()}", "hi")


def test_slack_webhook_explains_it_is_not_configured(servers):
    response = requests.post(f"{servers['rasa']}/webhooks/slack/webhook", json={}, timeout=10)
    assert response.status_code == 503
    assert "SLACK_TOKEN" in response.json()["error"]
