"""The customer web page and the agent desk in headless Chromium, against all servers on loopback.

Debian's `chromium` is driven by Playwright (`executable_path`, so nothing is downloaded); the
Makefile's e2e target installs it (scripts/ensure_browser.sh). Every wait is for a condition on
the page (a selector or a text) with a generous timeout, never a fixed sleep. Screenshots of
each step go to results/screenshots/.
"""

import json
import os
import re
import shutil
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests
import yaml
from playwright.sync_api import Browser, Page, expect, sync_playwright

from actions.clarification import MEANINGS
from tests.e2e.test_handoff import unsure_message
from tests.unit.customer_data.factories import ADA, BOB, BOB_OLD, CLEO

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "results" / "screenshots"
MARKERS = ROOT / "webchat" / "handoff_markers.json"
WAIT_MS = 45_000  # Rasa on two busy cores can take seconds per turn
ASK_FOR_A_PERSON = [
    "I want to talk to a human",
    "can I speak to a real person please",
    "connect me to an agent",
]

# The widget's parts (rasa-webchat 1.0.1 class names).
# Messages, not the typing indicator (which is also a `.rw-response`).
BOT_MESSAGE = ".rw-messages-container .rw-from-response .rw-message-text"
USER_MESSAGE = ".rw-messages-container .rw-from-client .rw-message-text"
QUICK_REPLY = ".rw-replies .rw-reply"
TYPING = ".rw-typing-indication"
INPUT = ".rw-new-message"


def chromium_path() -> str:
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not path:
        pytest.fail("chromium not found: run scripts/ensure_browser.sh (make e2e does)")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not (ROOT / "webchat" / "node_modules" / "rasa-webchat" / "lib" / "index.js").is_file():
        pytest.fail("the chat widget is not installed: run `make webchat` (make e2e does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path())
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Browser, request) -> Iterator:
    """Opens pages in fresh browser contexts (own cookies and storage); shoots them on failure."""
    contexts, pages = [], []

    def open_page() -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        pages.append(context.new_page())
        return pages[-1]

    expect.set_options(timeout=WAIT_MS)
    failures_before = request.session.testsfailed
    yield open_page
    if request.session.testsfailed > failures_before:  # the call phase is reported by now
        for number, page in enumerate(pages):
            shot(page, f"{request.node.name}-failed-{number}")
    for context in contexts:
        context.close()


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    except Exception as error:  # noqa: BLE001 - a screenshot must not hide the test's own failure
        print(f"screenshot {name} failed: {error}")


def open_chat(page: Page, servers: Dict[str, str], customer_id: str) -> None:
    """Opens the page signed in as `customer_id` (dev sign-in) and waits for the greeting."""
    page.goto(f"{servers['webchat_url']}?customer={customer_id}")
    expect(page.locator("#identity")).to_contain_text("Signed in as")
    expect(page.locator(BOT_MESSAGE).first).to_be_visible()  # the greeting


def say(page: Page, text: str) -> int:
    """Types `text` into the widget; returns how many assistant messages there were before."""
    expect(page.locator(TYPING)).to_have_count(0)  # a message still being shown counts late
    before = page.locator(BOT_MESSAGE).count()
    page.locator(INPUT).fill(text)
    page.locator(INPUT).press("Enter")
    expect(page.locator(USER_MESSAGE).filter(has_text=text).last).to_be_visible()
    return before


def wait_for_new_answer(page: Page, before: int) -> None:
    expect(page.locator(BOT_MESSAGE).nth(before)).to_be_visible()


def session_id(page: Page) -> str:
    """The widget's conversation id (its sessionStorage entry)."""
    return json.loads(page.evaluate("sessionStorage.getItem('chat_session')"))["session_id"]


def tracker(servers: Dict[str, str], conversation_id: str) -> dict:
    response = requests.get(
        f"{servers['rasa']}/conversations/{conversation_id}/tracker",
        params={"token": servers["rasa_api_token"]},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


def parses_as(servers: Dict[str, str], text: str, intent: str) -> bool:
    response = requests.post(
        f"{servers['rasa']}/model/parse",
        params={"token": servers["rasa_api_token"]},
        json={"text": text},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["intent"]["name"] == intent


def test_the_pages_handoff_phrases_are_still_in_the_assistants_responses():
    markers = json.loads(MARKERS.read_text())
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    texts = [
        variant.get("text", "") for variants in domain["responses"].values() for variant in variants
    ]
    for phrase in markers["toTeam"] + markers["toAssistant"]:
        assert any(phrase in text for text in texts), f"{phrase!r} is in no response"


def test_the_dev_selector_signs_in_and_the_customer_sees_their_order(servers, new_page):
    page = new_page()
    page.goto(servers["webchat_url"])
    expect(page.locator("#identity")).to_have_text("Not signed in")
    expect(page.locator("#customer-select option[value='C0000002']")).to_have_count(1)
    page.locator("#customer-select").select_option(BOB)  # reloads the page, signed in
    expect(page.locator("#identity")).to_have_text("Signed in as Bob Marley")
    expect(page.locator(BOT_MESSAGE).first).to_contain_text("Bob")  # greeted by name
    shot(page, "a1-signed-in")

    before = say(page, "where is my last order?")
    wait_for_new_answer(page, before)
    expect(page.locator(".rw-messages-container")).to_contain_text(BOB_OLD)
    shot(page, "a2-order-status")


def test_clarification_buttons_are_shown_and_a_click_continues(servers, new_page):
    text = unsure_message(servers)
    page = new_page()
    open_chat(page, servers, CLEO)
    say(page, text)
    expect(page.locator(BOT_MESSAGE).filter(has_text="Did you mean")).to_be_visible()
    replies = page.locator(QUICK_REPLY)
    expect(replies.last).to_have_text("Something else")
    shot(page, "b1-clarification")

    question = next(
        event
        for event in reversed(tracker(servers, session_id(page))["events"])
        if event["event"] == "bot" and event["data"].get("buttons")
    )
    first = question["data"]["buttons"][0]
    intent = first["payload"][1:].split("{")[0]
    assert intent in MEANINGS
    expect(page.locator(TYPING)).to_have_count(0)
    before = page.locator(BOT_MESSAGE).count()
    replies.filter(has_text=first["title"]).first.click()
    expect(page.locator(USER_MESSAGE).filter(has_text=first["title"])).to_be_visible()
    wait_for_new_answer(page, before)
    shot(page, "b2-after-click")
    latest = tracker(servers, session_id(page))
    assert latest["latest_message"]["intent"]["name"] == intent
    assert latest["latest_action_name"] != "action_clarify"


def desk_login(page: Page, servers: Dict[str, str]) -> None:
    page.goto(servers["desk_url"])
    expect(page).to_have_url(re.compile(r"/desk/login$"))  # no session: the login page
    page.locator("#username").fill(servers["desk_agent"])
    page.locator("#password").fill("wrong password")
    page.locator("#login").click()
    expect(page.locator("#login-error")).to_be_visible()
    page.locator("#password").fill(servers["desk_password"])
    page.locator("#login").click()
    expect(page.locator("#agent-name")).to_have_text(servers["desk_agent"])


def test_handoff_to_the_desk_agent_reply_and_hand_back(servers, new_page):
    ask = next((t for t in ASK_FOR_A_PERSON if parses_as(servers, t, "contact_human_agent")), None)
    customer = new_page()
    open_chat(customer, servers, ADA)
    say(customer, ask or "/contact_human_agent")
    expect(customer.locator(BOT_MESSAGE).filter(has_text="expected wait")).to_be_visible()
    expect(customer.locator("#handoff-banner")).to_contain_text("talking to our team")
    conversation = session_id(customer)
    shot(customer, "c1-customer-waiting")

    desk = new_page()
    desk_login(desk, servers)
    item = desk.locator(f"#queue li[data-conversation='{conversation}']")
    expect(item).to_contain_text(ADA)
    expect(item).to_contain_text("high_value")
    item.click()
    expect(desk.locator("#detail-title")).to_contain_text(ADA)
    expect(desk.locator("#summary")).to_contain_text("contact_human_agent")
    expect(desk.locator("#profile")).to_contain_text("high_value")

    # What the customer writes now reaches the desk without a reload.
    say(customer, "are you there? it's about my refund")
    expect(desk.locator("#transcript .message.customer").last).to_contain_text("my refund")
    shot(desk, "c2-desk")

    reply = "Hi Ada, this is Sam from the team. Let me look at your refund."
    desk.locator("#reply-text").fill(reply)
    desk.locator("#send").click()
    expect(desk.locator("#transcript .message.agent").last).to_contain_text("this is Sam")
    expect(customer.locator(BOT_MESSAGE).filter(has_text="this is Sam")).to_be_visible()
    shot(customer, "c3-agent-reply")

    desk.locator("#hand-back").click()
    expect(desk.locator("#action-status")).to_contain_text("Handed back")
    expect(desk.locator(f"#queue li[data-conversation='{conversation}']")).to_have_count(0)
    expect(customer.locator(BOT_MESSAGE).filter(has_text="back with the")).to_be_visible()
    expect(customer.locator("#handoff-banner")).to_contain_text("back with the assistant")

    # The assistant answers again, personally.
    before = say(customer, "hi")
    wait_for_new_answer(customer, before)
    expect(customer.locator(BOT_MESSAGE).nth(before)).to_contain_text("Ada")
    shot(customer, "c4-assistant-again")
    shot(desk, "c5-desk-after-hand-back")


def test_the_desk_api_needs_a_session_and_dev_routes_are_dev_only(servers):
    response = requests.get(f"{servers['desk_url']}/api/handoffs", timeout=10)
    assert response.status_code == 401
    response = requests.get(f"{servers['desk_url']}", timeout=10, allow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/desk/login")
    base = servers["webchat_url"]
    assert requests.get(base + "package.json", timeout=10).status_code == 404
    config = requests.get(base + "config.json", timeout=10).json()
    assert config == {"socketUrl": servers["rasa"], "devMode": True}
    customers: List[dict] = requests.get(
        servers["customer_data_url"] + "/dev/customers", timeout=10
    ).json()
    assert {c["customer_id"] for c in customers} >= {ADA, BOB, CLEO}
