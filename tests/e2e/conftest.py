"""Start the customer data service, the action server and the Rasa server on free loopback ports.

The data service runs on a migrated SQLite file seeded with the hand-made shop of
`tests/unit/customer_data/factories.py` (three customers of different tiers), so end-to-end tests
can sign in as known customers with a token signed by this deployment's secret.
"""

import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests
import yaml

from customer_data.db import build_engine, build_session_factory, unit_of_work
from customer_data.desk.passwords import hash_password
from tests.e2e.fake_slack_api import SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, FakeSlackApi
from tests.loopback_server import LoopbackJsonServer
from tests.ports import free_port
from tests.unit.customer_data.factories import seed_shop

ROOT = Path(__file__).resolve().parents[2]
RASA = str(Path(sys.executable).with_name("rasa"))
STARTUP_TIMEOUT_S = 240
API_TOKEN = "e2e-api-token"
AGENT_TOKEN = "e2e-agent-desk-token"
RASA_API_TOKEN = "e2e-rasa-api-token"
WEB_TOKEN_SECRET = "e2e-web-token-secret-0123456789abcdef"
DESK_AGENT, DESK_PASSWORD = "sam", "e2e-desk-password"  # noqa: S105 (a test password)


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{url} did not come up in {STARTUP_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


class CustomerInbox:
    """A customer's device on Rasa's `callback` channel: collects what the assistant sends."""

    def __init__(self) -> None:
        self.messages: List[dict] = []
        self._server = LoopbackJsonServer(self._receive)
        self.port = self._server.port

    def _receive(self, path: str, body: dict, headers: object):
        self.messages.append(body)
        return 200, None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def for_recipient(self, recipient: str) -> List[dict]:
        return [m for m in self.messages if m.get("recipient_id") == recipient]

    def stop(self) -> None:
        self._server.stop()


def with_callback_channel(workdir: Path, url: str) -> Path:
    """The repository's credentials plus Rasa's callback channel posting to `url`."""
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    credentials["callback"] = {"url": url}
    path = workdir / "credentials.yml"
    path.write_text(yaml.safe_dump(credentials))
    return path


@pytest.fixture(scope="session")
def customer_inbox() -> Iterator[CustomerInbox]:
    inbox = CustomerInbox()
    yield inbox
    inbox.stop()


@pytest.fixture(scope="session")
def fake_slack_api() -> Iterator[FakeSlackApi]:
    """Slack's Web API on loopback, where Rasa's Slack channel posts its replies."""
    api = FakeSlackApi()
    yield api
    api.stop()


@pytest.fixture(scope="session")
def servers(tmp_path_factory, customer_inbox, fake_slack_api) -> Iterator[Dict[str, str]]:
    """Both servers with the repository's endpoints and credentials and a fresh tracker file."""
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("no trained model in models/: run `make train` first")
    workdir = tmp_path_factory.mktemp("servers")
    action_port, rasa_port, data_port = free_port(), free_port(), free_port()
    database_url = f"sqlite:///{workdir / 'customer_data.db'}"
    env = {
        **os.environ,
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
        "DATABASE_URL": database_url,
        "CUSTOMER_DATA_API_TOKENS": f"action-server:{API_TOKEN},agent-desk:{AGENT_TOKEN}",
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "RASA_API_TOKEN": RASA_API_TOKEN,
        # Agents are always in, so the handoff tests don't depend on when CI runs.
        "HANDOFF_BUSINESS_HOURS": "mon-sun 00:00-24:00",
        "CUSTOMER_DATA_TOKEN": API_TOKEN,
        "CUSTOMER_DATA_PORT": str(data_port),
        "CUSTOMER_DATA_URL": f"http://127.0.0.1:{data_port}",
        "WEB_TOKEN_SECRET": WEB_TOKEN_SECRET,
        # The web page and the desk (tests/e2e/test_browser.py): the widget's socket.io, the
        # "Sign in as" helpers, one desk agent.
        "WEBCHAT_SOCKET_URL": f"http://127.0.0.1:{rasa_port}",
        "DEV_MODE": "1",
        "DESK_AGENTS": f"{DESK_AGENT}:{hash_password(DESK_PASSWORD)}",
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    }
    env.pop("REDIS_URL", None)
    env.pop("SLACK_TOKEN", None)
    env.pop("SLACK_CHANNEL", None)
    # Slack on, talking to the fake Web API (set after the pop of a developer's real token).
    env["SLACK_TOKEN"] = SLACK_BOT_TOKEN
    env["SLACK_SIGNING_SECRET"] = SLACK_SIGNING_SECRET
    env["SLACK_API_URL"] = fake_slack_api.url
    subprocess.run(
        [sys.executable, "-m", "customer_data.migrate", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    engine = build_engine(database_url)
    with unit_of_work(build_session_factory(engine)) as session:
        seed_shop(session, now=datetime.utcnow())
    engine.dispose()
    processes = []
    try:
        data_log = workdir / "customer_data.log"
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "customer_data.api"],
                cwd=ROOT,
                env=env,
                stdout=data_log.open("w"),
                stderr=subprocess.STDOUT,
            )
        )
        wait_until_up(f"http://127.0.0.1:{data_port}/health", processes[-1], data_log)
        action_log = workdir / "actions.log"
        processes.append(
            subprocess.Popen(
                [RASA, "run", "actions", "--port", str(action_port)],
                cwd=ROOT,
                env=env,
                stdout=action_log.open("w"),
                stderr=subprocess.STDOUT,
            )
        )
        rasa_log = workdir / "rasa.log"
        credentials = with_callback_channel(workdir, customer_inbox.url)
        processes.append(
            subprocess.Popen(
                [
                    RASA,
                    "run",
                    "--model",
                    "models",
                    "--port",
                    str(rasa_port),
                    "--interface",
                    "127.0.0.1",
                    "--endpoints",
                    "endpoints.yml",
                    "--credentials",
                    str(credentials),
                    "--enable-api",
                    "--auth-token",
                    RASA_API_TOKEN,
                    # The web page is served by the data service, another origin.
                    "--cors",
                    f"http://127.0.0.1:{data_port}",
                ],
                cwd=ROOT,
                env=env,
                stdout=rasa_log.open("w"),
                stderr=subprocess.STDOUT,
            )
        )
        wait_until_up(f"http://127.0.0.1:{action_port}/health", processes[1], action_log)
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", processes[2], rasa_log)
        yield {
            "rasa": f"http://127.0.0.1:{rasa_port}",
            "tracker_db": str(workdir / "tracker.db"),
            "customer_data_url": f"http://127.0.0.1:{data_port}",
            "customer_data_token": API_TOKEN,
            "agent_token": AGENT_TOKEN,
            "rasa_api_token": RASA_API_TOKEN,
            "web_token_secret": WEB_TOKEN_SECRET,
            "webchat_url": f"http://127.0.0.1:{data_port}/webchat/",
            "desk_url": f"http://127.0.0.1:{data_port}/desk",
            "desk_agent": DESK_AGENT,
            "desk_password": DESK_PASSWORD,
        }
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
