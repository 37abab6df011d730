"""One test body for both lock stores `UrlLockStore` can delegate to."""

import asyncio

import pytest
import redis
from rasa.core.lock_store import InMemoryLockStore, LockError, RedisLockStore

from conversation_store.lock_store import UrlLockStore


@pytest.fixture(params=["in_memory", "redis"])
def lock_store(request, monkeypatch):
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        monkeypatch.setenv("REDIS_URL", url)
        store = UrlLockStore()
        store.delegate.red.flushdb()
        return store
    monkeypatch.delenv("REDIS_URL", raising=False)
    return UrlLockStore()


def test_delegate_follows_redis_url(redis_url, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert isinstance(UrlLockStore().delegate, InMemoryLockStore)
    monkeypatch.setenv("REDIS_URL", redis_url)
    assert isinstance(UrlLockStore().delegate, RedisLockStore)


def test_tickets_are_issued_in_order(lock_store):
    assert lock_store.issue_ticket("conversation-1") == 0
    assert lock_store.issue_ticket("conversation-1") == 1
    assert lock_store.issue_ticket("conversation-2") == 0


async def test_second_message_waits_for_the_first(lock_store):
    order = []

    async def handle(name: str, hold: float) -> None:
        async with lock_store.lock("conversation-1", wait_time_in_seconds=0.01):
            order.append(f"{name} start")
            await asyncio.sleep(hold)
            order.append(f"{name} end")

    await asyncio.gather(handle("first", 0.1), handle("second", 0))
    assert order == ["first start", "first end", "second start", "second end"]
    assert lock_store.get_lock("conversation-1") is None  # cleaned up


def test_lock_is_shared_between_two_servers_through_redis(redis_url, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_url)
    server_a, server_b = UrlLockStore(), UrlLockStore()
    server_a.delegate.red.flushdb()
    server_a.issue_ticket("shared-conversation")
    assert server_b.issue_ticket("shared-conversation") == 1


def test_unreachable_redis_fails_with_a_lock_error(monkeypatch):
    from tests.ports import free_port

    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    store = UrlLockStore()
    with pytest.raises(LockError) as error:
        store.issue_ticket("conversation-1")
    assert isinstance(error.value.__context__, redis.ConnectionError)
