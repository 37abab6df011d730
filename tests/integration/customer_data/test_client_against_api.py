"""The action server's HTTP client against the real API process, on a migrated database."""

import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
import requests

from actions.clients import (
    HttpCustomerDataClient,
    NotFound,
    RuleViolation,
    ServiceUnavailable,
    Unauthorized,
)
from customer_data.db import build_engine, build_session_factory, unit_of_work
from tests.ports import free_port
from tests.unit.customer_data.factories import (
    ADA,
    ADA_FRESH,
    ADA_SHIPPED,
    ADA_SLACK_ID,
    BOB_OLD,
    seed_shop,
)

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "integration-token"


@pytest.fixture(scope="module")
def api_url(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("api")
    database_url = f"sqlite:///{workdir / 'customer_data.db'}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CUSTOMER_DATA_API_TOKENS": f"action-server:{TOKEN}",
        "CRM_WEBHOOK_SECRET": "integration-secret",
    }
    env.pop("REDIS_URL", None)
    # The schema comes from the Alembic migration, as in `make run`, not from create_all.
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

    port = free_port()
    log = workdir / "api.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "customer_data.api"],
        cwd=ROOT,
        env={**env, "CUSTOMER_DATA_PORT": str(port)},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{url}/health", timeout=1).ok:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"API did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def client(api_url):
    client = HttpCustomerDataClient(api_url, TOKEN)
    yield client
    client.close()


def test_docs_page_and_schema_list_the_endpoints(api_url):
    assert requests.get(f"{api_url}/docs", timeout=5).status_code == 200
    paths = requests.get(f"{api_url}/openapi.json", timeout=5).json()["paths"]
    for path in [
        "/api/customers/{customer_id}/profile",
        "/api/profiles/by-identity",
        "/api/customers/{customer_id}/orders/{order_id}/cancel",
        "/api/customers/{customer_id}/export",
        "/webhooks/crm",
    ]:
        assert path in paths


def test_profile_by_id_and_by_slack_identity(client):
    profile = client.get_profile(ADA)
    assert profile.customer_id == ADA
    assert profile.tier == "silver"
    assert {order.id for order in profile.open_orders} >= {ADA_FRESH}
    assert client.find_profile("slack", ADA_SLACK_ID).customer_id == ADA
    assert client.find_profile("slack", "U-NOBODY") is None


def test_another_customers_order_is_not_found(client):
    assert client.get_order(ADA, BOB_OLD) is None
    with pytest.raises(NotFound):
        client.cancel_order(ADA, BOB_OLD)


def test_rules_reach_the_client_as_rule_violations(client):
    with pytest.raises(RuleViolation) as refusal:
        client.cancel_order(ADA, ADA_SHIPPED)
    assert "shipped" in refusal.value.reason


def test_cancellation_shows_in_the_next_profile_read(client):
    assert ADA_FRESH in {order.id for order in client.get_profile(ADA).open_orders}
    result = client.cancel_order(ADA, ADA_FRESH, reason="changed my mind")
    assert result.status == "cancelled"
    assert ADA_FRESH not in {order.id for order in client.get_profile(ADA).open_orders}


def test_wrong_token_is_unauthorized(api_url):
    client = HttpCustomerDataClient(api_url, "not-the-token")
    with pytest.raises(Unauthorized):
        client.get_profile(ADA)


def test_service_down_is_service_unavailable():
    client = HttpCustomerDataClient(f"http://127.0.0.1:{free_port()}", TOKEN)
    with pytest.raises(ServiceUnavailable):
        client.get_profile(ADA)
