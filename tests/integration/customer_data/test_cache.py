"""One test body for both profile caches, and a Redis that is down, stalled or restarted."""

import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid

import pytest
import redis

from customer_data.cache import CacheAside, CacheUnavailable, InMemoryTTLCache, profile_key
from customer_data.redis_cache import RedisProfileCache
from tests.ports import free_port

TIMEOUT = 0.25  # the cache's default socket timeouts
BACKOFF = 2.0


class FakeClock:
    """Monotonic seconds that only move when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Caches:
    """Makes caches of one kind in separate namespaces, and lets their time pass."""

    def __init__(self, kind: str, redis_url: str = "") -> None:
        self.kind = kind
        self.redis_url = redis_url
        self.clock = FakeClock()
        self.run = uuid.uuid4().hex  # keeps this test's Redis keys apart from other tests'
        self.made = []

    def make(self, namespace: str = "default"):
        if self.kind == "in_memory":
            cache = InMemoryTTLCache(clock=self.clock)  # one instance is one namespace
        else:
            cache = RedisProfileCache(self.redis_url, key_prefix=f"test:{self.run}:{namespace}:")
        self.made.append(cache)
        return cache

    def advance(self, seconds: float) -> None:
        if self.kind == "in_memory":
            self.clock.advance(seconds)
        else:
            time.sleep(seconds)  # Redis expires keys on its own clock

    def cleanup(self) -> None:
        for cache in self.made:
            if isinstance(cache, RedisProfileCache):
                keys = cache.red.keys(f"test:{self.run}:*")
                if keys:
                    cache.red.delete(*keys)
                cache.close()


@pytest.fixture(params=["in_memory", "redis"])
def caches(request):
    url = request.getfixturevalue("redis_url") if request.param == "redis" else ""
    made = Caches(request.param, url)
    yield made
    made.cleanup()


# --- the contract, for both implementations ------------------------------------------------------


def test_get_set_and_delete(caches):
    cache = caches.make()
    key, other = profile_key("C0000001"), profile_key("C0000002")

    assert cache.get(key) is None
    cache.set(key, b'{"name": "Ada"}', 60)
    cache.set(other, b"\x00\xff binary is kept as is", 60)
    assert cache.get(key) == b'{"name": "Ada"}'
    assert cache.get(other) == b"\x00\xff binary is kept as is"

    cache.set(key, b'{"name": "Ada King"}', 60)
    assert cache.get(key) == b'{"name": "Ada King"}'

    cache.delete(key, other, profile_key("C0000003"))  # a missing key is fine
    cache.delete()  # and so is no key at all
    assert cache.get(key) is None
    assert cache.get(other) is None


def test_entries_expire_after_their_ttl(caches):
    cache = caches.make()
    cache.set("short", b"1", 1)
    cache.set("long", b"2", 60)

    caches.advance(0.4)
    assert cache.get("short") == b"1"
    caches.advance(0.8)

    assert cache.get("short") is None
    assert cache.get("long") == b"2"


def test_namespaces_do_not_share_keys(caches):
    tenant_a, tenant_b = caches.make("a"), caches.make("b")
    key = profile_key("C0000001")

    tenant_a.set(key, b"a", 60)
    assert tenant_b.get(key) is None
    tenant_b.set(key, b"b", 60)
    tenant_b.delete(key)

    assert tenant_a.get(key) == b"a"


def test_cache_aside_loads_once_until_invalidated(caches):
    profiles = CacheAside(caches.make(), ttl_seconds=60)
    key = profile_key("C0000001")
    loads = []

    def load():
        loads.append(1)
        return f"v{len(loads)}".encode()

    assert profiles.get_or_load(key, load) == b"v1"
    assert profiles.get_or_load(key, load) == b"v1"
    profiles.invalidate(key)
    assert profiles.get_or_load(key, load) == b"v2"

    assert len(loads) == 2
    assert profiles.stats == {"hits": 1, "misses": 2, "errors": 0}


# --- Redis specifics -----------------------------------------------------------------------------


def test_redis_keys_carry_the_prefix_and_an_expiry(redis_url):
    prefix = f"test:{uuid.uuid4().hex}:"
    cache = RedisProfileCache(redis_url, key_prefix=prefix)
    key = profile_key("C0000001")
    try:
        cache.set(key, b"{}", 60)

        assert cache.red.get(prefix + key) == b"{}"
        assert 0 < cache.red.ttl(prefix + key) <= 60
    finally:
        cache.red.delete(prefix + key)
        cache.close()


def test_unreachable_redis_degrades_to_the_loader():
    clock = FakeClock()
    cache = RedisProfileCache(f"redis://127.0.0.1:{free_port()}/0", clock=clock)
    profiles = CacheAside(cache, ttl_seconds=60)

    assert profiles.get_or_load(profile_key("C0000001"), lambda: b"from the database") == (
        b"from the database"
    )
    assert profiles.stats["errors"] == 1
    profiles.invalidate(profile_key("C0000001"))  # no exception either
    assert profiles.stats["errors"] == 2

    with pytest.raises(CacheUnavailable, match="skipped") as skipped:
        cache.get("anything")
    assert skipped.value.__cause__ is None  # Redis was not asked


def test_redis_errors_become_cache_unavailable_from_the_original():
    cache = RedisProfileCache(f"redis://127.0.0.1:{free_port()}/0")

    with pytest.raises(CacheUnavailable) as failure:
        cache.set("key", b"value", 60)

    assert isinstance(failure.value.__cause__, redis.ConnectionError)
    assert "127.0.0.1" in str(failure.value)


class StalledServer:
    """Accepts TCP connections and never answers: a hung Redis."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.connections = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections.append(connection)

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        for connection in self.connections:
            connection.close()
        self.sock.close()


@pytest.fixture
def stalled_server():
    server = StalledServer()
    yield server
    server.stop()


def test_a_hung_redis_costs_one_timeout_per_backoff(stalled_server):
    clock = FakeClock()
    cache = RedisProfileCache(f"redis://127.0.0.1:{stalled_server.port}/0", clock=clock)
    profiles = CacheAside(cache, ttl_seconds=60)

    started = time.monotonic()
    assert profiles.get_or_load("key", lambda: b"loaded") == b"loaded"
    first_call = time.monotonic() - started
    connections_after_first_call = len(stalled_server.connections)

    started = time.monotonic()
    assert profiles.get_or_load("key", lambda: b"loaded") == b"loaded"
    second_call = time.monotonic() - started

    assert first_call >= TIMEOUT * 0.8  # waited for the socket timeout
    assert second_call < TIMEOUT * 0.8  # skipped during the back-off
    assert connections_after_first_call == 1
    assert len(stalled_server.connections) == 1  # the second call did not connect
    assert profiles.stats["errors"] == 2

    clock.advance(BACKOFF)
    with pytest.raises(CacheUnavailable) as probe:
        cache.get("key")  # the back-off is over: Redis is tried again
    assert isinstance(probe.value.__cause__, redis.TimeoutError)
    cache.close()


# --- a Redis that stops in the middle of a test --------------------------------------------------


def start_redis(port: int, workdir) -> subprocess.Popen:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed: run `make redis` (or `make integration`)")
    command = [binary, "--port", str(port), "--bind", "127.0.0.1"]
    command += ["--save", "", "--appendonly", "no", "--dir", str(workdir)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    client = redis.Redis(port=port, socket_timeout=1)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            client.close()
            return process
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("redis-server did not start within 10 s")
            time.sleep(0.05)


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server this test may kill and restart: (port, start, kill)."""
    port = free_port()
    processes = []

    def start():
        processes.append(start_redis(port, tmp_path))

    def kill():
        processes[-1].send_signal(signal.SIGKILL)
        processes[-1].wait(timeout=10)

    start()
    yield port, start, kill
    for process in processes:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)


def test_redis_stopped_mid_test_degrades_to_the_loader_and_recovers(own_redis):
    port, start, kill = own_redis
    clock = FakeClock()
    cache = RedisProfileCache(f"redis://127.0.0.1:{port}/0", clock=clock)
    profiles = CacheAside(cache, ttl_seconds=60)
    key = profile_key("C0000001")
    loads = []

    def load():
        loads.append(1)
        return b"from the database"

    assert profiles.get_or_load(key, load) == b"from the database"
    assert profiles.get_or_load(key, load) == b"from the database"
    assert (len(loads), profiles.stats) == (1, {"hits": 1, "misses": 1, "errors": 0})

    kill()
    assert profiles.get_or_load(key, load) == b"from the database"
    assert profiles.get_or_load(key, load) == b"from the database"
    assert len(loads) == 3
    assert profiles.stats["errors"] == 2

    start()  # Redis is back, but the back-off is not over: it is not asked yet
    with pytest.raises(CacheUnavailable, match="skipped"):
        cache.get(key)

    clock.advance(BACKOFF)
    assert profiles.get_or_load(key, load) == b"from the database"  # a miss: Redis lost its data
    assert profiles.get_or_load(key, load) == b"from the database"  # a hit again
    assert len(loads) == 4
    assert profiles.stats == {"hits": 2, "misses": 2, "errors": 2}
    cache.close()
