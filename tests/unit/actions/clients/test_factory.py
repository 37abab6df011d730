import logging

import pytest

from actions.clients.errors import Unauthorized
from actions.clients.factory import (
    DEFAULT_URL,
    customer_data_client_from_env,
    shared_customer_data_client,
)
from actions.clients.http_customer_data import HttpCustomerDataClient
from customer_data.schemas import ConsentOut
from tests.unit.actions.clients.samples import CUSTOMER_ID, NOW
from tests.unit.actions.clients.scripted_server import Reply, error


def test_the_client_talks_to_the_configured_url_with_the_token(server):
    consent = ConsentOut(purpose="newsletter", granted=True, at=NOW, source="chat")
    server.reply(Reply(200, [consent]))
    env = {"CUSTOMER_DATA_URL": server.url, "CUSTOMER_DATA_TOKEN": "tok-123"}

    client = customer_data_client_from_env(env)

    assert client.get_consents(CUSTOMER_ID) == [consent]
    assert server.requests[0].headers["authorization"] == "Bearer tok-123"
    client.close()


def test_the_url_defaults_to_the_local_service(caplog):
    client = customer_data_client_from_env({"CUSTOMER_DATA_TOKEN": "tok"})

    assert isinstance(client, HttpCustomerDataClient)
    assert client.base_url == DEFAULT_URL
    assert caplog.records == []


def test_without_a_token_the_client_is_built_with_one_warning(server, caplog):
    server.reply(error(401, "unauthorized", "missing bearer token"))

    with caplog.at_level(logging.WARNING, logger="actions.clients.factory"):
        client = customer_data_client_from_env({"CUSTOMER_DATA_URL": server.url})

    warnings = [r for r in caplog.records if r.name == "actions.clients.factory"]
    assert len(warnings) == 1
    assert "CUSTOMER_DATA_TOKEN" in warnings[0].getMessage()
    with pytest.raises(Unauthorized):
        client.get_profile(CUSTOMER_ID)


def test_the_shared_client_is_built_once_on_first_use(monkeypatch):
    monkeypatch.setenv("CUSTOMER_DATA_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("CUSTOMER_DATA_TOKEN", "tok")
    shared_customer_data_client.cache_clear()
    try:
        first = shared_customer_data_client()
        assert shared_customer_data_client() is first
        assert first.base_url == "http://127.0.0.1:9"
    finally:
        shared_customer_data_client.cache_clear()
