from conversation_store.settings import (
    DEFAULT_TRACKER_STORE_URL,
    redis_url,
    tracker_store_url,
)


def test_defaults_are_embedded(monkeypatch):
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert tracker_store_url() == DEFAULT_TRACKER_STORE_URL
    assert redis_url() is None


def test_blank_values_count_as_unset(monkeypatch):
    monkeypatch.setenv("TRACKER_STORE_URL", "   ")
    monkeypatch.setenv("REDIS_URL", "")
    assert tracker_store_url() == DEFAULT_TRACKER_STORE_URL
    assert redis_url() is None


def test_configured_urls_are_used(monkeypatch):
    monkeypatch.setenv("TRACKER_STORE_URL", "postgresql://rasa:pw@db:5432/rasa")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/2")
    assert tracker_store_url() == "postgresql://rasa:pw@db:5432/rasa"
    assert redis_url() == "redis://cache:6379/2"
