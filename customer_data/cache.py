"""Cache-aside for serialized profiles: Redis when `REDIS_URL` is set, in-process otherwise.

Both caches store the profile's JSON bytes, so a cache hit goes to the client without touching
the database or re-serializing. A failing cache is never an error for the caller: reads fall
through to the database and writes are skipped, with a warning.
"""

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from typing import Callable, Dict, Optional, Tuple

logger = logging.getLogger(__name__)

KEY_PREFIX = "customer_data:"
PROFILE_KEY = KEY_PREFIX + "profile:"


def profile_key(customer_id: str) -> str:
    """The cache key of one customer's profile."""
    return f"{PROFILE_KEY}{customer_id}"


class CacheUnavailable(Exception):
    """The cache backend could not be reached or answered with an error."""


class ProfileCache(ABC):
    """Bytes by key with a time to live; implementations raise `CacheUnavailable` on failure."""

    @abstractmethod
    def get(self, key: str) -> Optional[bytes]:
        """The cached value, or None when absent or expired."""

    @abstractmethod
    def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        """Stores `value` for `ttl_seconds`."""

    @abstractmethod
    def delete(self, *keys: str) -> None:
        """Removes the keys (missing keys are fine)."""


class InMemoryTTLCache(ProfileCache):
    """A bounded, thread-safe LRU cache with expiry, for one process (the embedded default)."""

    def __init__(self, max_entries: int = 100_000, clock: Callable[[], float] = time.monotonic):
        """Keeps at most `max_entries`; `clock` is injectable for tests."""
        self._entries: OrderedDict[str, Tuple[float, bytes]] = OrderedDict()
        self._max_entries = max_entries
        self._clock = clock
        self._lock = threading.Lock()

    def get(self, key: str) -> Optional[bytes]:
        """The cached value, or None when absent or expired."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires_at, value = entry
            if expires_at <= self._clock():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        """Stores `value`, evicting the least recently used entry when full."""
        with self._lock:
            self._entries[key] = (self._clock() + ttl_seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def delete(self, *keys: str) -> None:
        """Removes the keys."""
        with self._lock:
            for key in keys:
                self._entries.pop(key, None)


class CacheAside:
    """Reads through the cache to a loader; never lets a cache failure reach the caller."""

    def __init__(self, cache: ProfileCache, ttl_seconds: int) -> None:
        """Wraps `cache`; entries live `ttl_seconds` unless invalidated."""
        self.cache = cache
        self.ttl_seconds = ttl_seconds
        self.stats: Dict[str, int] = {"hits": 0, "misses": 0, "errors": 0}

    def get_or_load(self, key: str, load: Callable[[], Optional[bytes]]) -> Optional[bytes]:
        """The cached bytes for `key`, else `load()` (cached when not None)."""
        try:
            cached = self.cache.get(key)
        except CacheUnavailable as error:
            self.stats["errors"] += 1
            logger.warning("Cache read failed, using the database: %s", error)
            return load()
        if cached is not None:
            self.stats["hits"] += 1
            return cached
        self.stats["misses"] += 1
        value = load()
        if value is not None:
            try:
                self.cache.set(key, value, self.ttl_seconds)
            except CacheUnavailable as error:
                self.stats["errors"] += 1
                logger.warning("Cache write failed: %s", error)
        return value

    def invalidate(self, *keys: str) -> None:
        """Drops the keys at once (after a write or a webhook event)."""
        try:
            self.cache.delete(*keys)
        except CacheUnavailable as error:
            # The TTL bounds how long a stale entry can survive a failed invalidation.
            self.stats["errors"] += 1
            logger.warning("Cache invalidation failed for %s: %s", keys, error)
