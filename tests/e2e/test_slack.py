"""Slack end to end: Slack's signed Events API requests in, replies out to a fake Web API.

Rasa runs our Slack channel with the test's signing secret, posting replies to the loopback
`fake_slack_api` (tests/e2e/conftest.py). The seeded shop links Slack user `U0ADA` to Ada.
Rasa acknowledges Slack at once and answers in the background, so each turn waits until the
conversation in Rasa's tracker is back at `action_listen` before reading what was posted.
"""

import time
from typing import Any, Dict, List
from urllib.parse import quote

import requests

from tests.e2e.fake_slack_api import SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, WAIT_TIMEOUT_S
from tests.unit.channels.slack_events import (
    bot_message,
    dm_message,
    signed,
    url_verification,
)
from tests.unit.customer_data.factories import (
    ADA_DELIVERED,
    ADA_FRESH,
    ADA_OLD,
    ADA_SHIPPED,
    ADA_SLACK_ID,
)

ADA_MARKERS = ["Ada", ADA_FRESH, ADA_OLD, ADA_SHIPPED, ADA_DELIVERED]
ADA_DM = "D0ADA"  # Ada's direct-message channel with the app
REQUEST_TIMEOUT_S = 30


def webhook(servers: Dict[str, str]) -> str:
    return f"{servers['rasa']}/webhooks/slack/webhook"


def tracker_events(servers: Dict[str, str], sender_id: str) -> List[Dict[str, Any]]:
    response = requests.get(
        f"{servers['rasa']}/conversations/{quote(sender_id, safe=':')}/tracker",
        params={"token": servers["rasa_api_token"]},
        timeout=REQUEST_TIMEOUT_S,
    )
    response.raise_for_status()
    return response.json().get("events") or []


def user_turns(servers: Dict[str, str], sender_id: str) -> int:
    return sum(event["event"] == "user" for event in tracker_events(servers, sender_id))


def wait_for_turn(servers: Dict[str, str], sender_id: str, turns: int) -> None:
    """Waits until Rasa logged `turns` user messages and answered the last one."""
    deadline = time.monotonic() + WAIT_TIMEOUT_S
    events: List[Dict[str, Any]] = []
    while time.monotonic() < deadline:
        events = tracker_events(servers, sender_id)
        done = sum(event["event"] == "user" for event in events) >= turns
        if done and events[-1]["event"] == "action" and events[-1]["name"] == "action_listen":
            return
        time.sleep(0.2)
    raise AssertionError(f"{sender_id} not answered in {WAIT_TIMEOUT_S} s: {events[-5:]}")


def slack_says(servers, fake_slack_api, user: str, text: str, channel: str) -> List[str]:
    """Sends `text` as Slack would and returns what the assistant posted back to `channel`."""
    sender_id = f"slack:{user}"
    turns, posted = user_turns(servers, sender_id), len(fake_slack_api.texts_in(channel))
    body, headers = signed(dm_message(user, text, channel), SLACK_SIGNING_SECRET)
    response = requests.post(webhook(servers), data=body, headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    wait_for_turn(servers, sender_id, turns + 1)
    return fake_slack_api.texts_in(channel)[posted:]


def rest_says(servers, body: Dict[str, Any]) -> List[str]:
    response = requests.post(
        f"{servers['rasa']}/webhooks/rest/webhook", json=body, timeout=REQUEST_TIMEOUT_S
    )
    response.raise_for_status()
    return [part.get("text") or "" for part in response.json()]


def leaked(texts: List[str]) -> List[str]:
    return [marker for marker in ADA_MARKERS if marker in " ".join(texts)]


def test_url_verification_is_answered(servers):
    body, headers = signed(url_verification("e2eChallenge42"), SLACK_SIGNING_SECRET)
    response = requests.post(webhook(servers), data=body, headers=headers, timeout=30)
    assert response.status_code == 200
    assert response.json() == "e2eChallenge42"


def test_linked_slack_user_gets_personal_answers_in_their_dm(servers, fake_slack_api):
    greeting = slack_says(servers, fake_slack_api, ADA_SLACK_ID, "hi", ADA_DM)
    assert any("Ada" in text for text in greeting), greeting
    order = slack_says(servers, fake_slack_api, ADA_SLACK_ID, "where is my last order?", ADA_DM)
    assert [marker for marker in leaked(order) if marker != "Ada"], order  # one of her orders
    # Posted as the app, with the bot token, to the DM the messages came from.
    ada_posts = [post for post in fake_slack_api.posts if post["channel"] == ADA_DM]
    assert {post["authorization"] for post in ada_posts} == {f"Bearer {SLACK_BOT_TOKEN}"}


def test_unlinked_slack_user_gets_anonymous_answers(servers, fake_slack_api):
    texts = slack_says(servers, fake_slack_api, "U0NOBODY", "hi", "D0NOBODY")
    texts += slack_says(servers, fake_slack_api, "U0NOBODY", "where is my last order?", "D0NOBODY")
    assert any("Brightcart" in text for text in texts), texts  # it does answer
    assert leaked(texts) == [], texts


def test_rest_caller_cannot_borrow_a_slack_users_identity(servers, fake_slack_api):
    assert leaked(slack_says(servers, fake_slack_api, ADA_SLACK_ID, "hi", ADA_DM))
    posted_to_slack = len(fake_slack_api.posts)
    question = "where is my last order?"
    attempts = [
        {"sender": ADA_SLACK_ID, "message": question},
        {"sender": ADA_SLACK_ID, "message": question, "input_channel": "slack"},
    ]
    for attempt in attempts:
        texts = rest_says(servers, attempt)
        assert texts, attempt  # answered, anonymously
        assert leaked(texts) == [], (attempt, texts)
    # Straight into Ada's Slack conversation (whose slots hold her order number): refused.
    intrusion = requests.post(
        f"{servers['rasa']}/webhooks/rest/webhook",
        json={"sender": f"slack:{ADA_SLACK_ID}", "message": question, "input_channel": "slack"},
        timeout=REQUEST_TIMEOUT_S,
    )
    assert intrusion.status_code == 400
    assert leaked([intrusion.text]) == []
    assert len(fake_slack_api.posts) == posted_to_slack  # nothing went to Ada's Slack
    # Ada, through Slack, is still recognised in the very conversation the intruder wrote to.
    order = slack_says(servers, fake_slack_api, ADA_SLACK_ID, question, ADA_DM)
    assert [marker for marker in leaked(order) if marker != "Ada"], order


def test_forged_signature_is_refused_and_nothing_is_processed(servers, fake_slack_api):
    body, headers = signed(dm_message("U0FORGED", "hi", "D0FORGED"), "not-the-signing-secret")
    response = requests.post(webhook(servers), data=body, headers=headers, timeout=30)
    assert response.status_code == 400
    assert user_turns(servers, "slack:U0FORGED") == 0
    assert fake_slack_api.texts_in("D0FORGED") == []


def test_retry_after_timeout_is_acknowledged_but_processed_once(servers, fake_slack_api):
    payload = dm_message("U0RETRY", "hi", "D0RETRY")
    body, headers = signed(payload, SLACK_SIGNING_SECRET)
    assert requests.post(webhook(servers), data=body, headers=headers, timeout=30).ok
    wait_for_turn(servers, "slack:U0RETRY", 1)
    answered = fake_slack_api.texts_in("D0RETRY")
    # Slack resends the same event when it got no answer within 3 s.
    body, headers = signed(payload, SLACK_SIGNING_SECRET, retry=(1, "http_timeout"))
    retry = requests.post(webhook(servers), data=body, headers=headers, timeout=30)
    assert retry.status_code == 201
    # The app's own reply echoed back by Slack is not a user message either.
    body, headers = signed(bot_message(answered[0], "D0RETRY"), SLACK_SIGNING_SECRET)
    assert requests.post(webhook(servers), data=body, headers=headers, timeout=30).ok
    # A later message is the second turn: nothing in between was taken for one.
    slack_says(servers, fake_slack_api, "U0RETRY", "thanks", "D0RETRY")
    assert user_turns(servers, "slack:U0RETRY") == 2
