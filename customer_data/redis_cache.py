"""The Redis profile cache, with a short back-off: a down Redis costs one timeout, not one per read.

Keys are namespaced by an optional prefix (several deployments may share one Redis), sockets have
explicit timeouts, and every Redis failure becomes `CacheUnavailable` raised from the original
error, as Rasa's Redis lock store does with `LockError`.
"""

import logging
import threading
import time
from typing import Callable, Optional

import redis

from customer_data.cache import CacheUnavailable, ProfileCache

logger = logging.getLogger(__name__)

DEFAULT_SOCKET_TIMEOUT_SECONDS = 0.25
DEFAULT_CONNECT_TIMEOUT_SECONDS = 0.25
# After a failure Redis is skipped this long; then one request probes it again.
DEFAULT_BACKOFF_SECONDS = 2.0

# redis-py wraps socket errors in its own classes, but a few code paths (connection set-up, pool
# checkout) can still let the built-in ConnectionError/TimeoutError through.
REDIS_ERRORS = (redis.RedisError, ConnectionError, TimeoutError)
# Only these mean "Redis is unreachable"; a reply error (say WRONGTYPE) fails one call, no back-off.
UNREACHABLE_ERRORS = (redis.ConnectionError, redis.TimeoutError, ConnectionError, TimeoutError)


class RedisProfileCache(ProfileCache):
    """Profiles in Redis, skipping Redis for a short back-off after it failed."""

    def __init__(
        self,
        url: str,
        socket_timeout: float = DEFAULT_SOCKET_TIMEOUT_SECONDS,
        socket_connect_timeout: float = DEFAULT_CONNECT_TIMEOUT_SECONDS,
        key_prefix: str = "",
        backoff_seconds: float = DEFAULT_BACKOFF_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Connects lazily (the pool opens connections on first use).

        Args:
            url: A redis:// or rediss:// URL; its query options override the timeouts.
            socket_timeout: Seconds to wait for a reply before giving up.
            socket_connect_timeout: Seconds to wait for a connection.
            key_prefix: Prepended to every key, to share one Redis between deployments.
            backoff_seconds: How long Redis is skipped after a failure.
            clock: Monotonic seconds; injectable for tests.

        """
        self.red = redis.Redis.from_url(
            url,
            socket_timeout=socket_timeout,
            socket_connect_timeout=socket_connect_timeout,
        )
        self.key_prefix = key_prefix
        self._backoff_seconds = backoff_seconds
        self._clock = clock
        self._lock = threading.Lock()
        # clock() value before which Redis is not contacted; None while Redis is healthy.
        self._skip_until: Optional[float] = None
        self._last_failure = ""
        kwargs = self.red.connection_pool.connection_kwargs
        # Host and port only: the URL may carry a password.
        self._where = f"{kwargs.get('host', kwargs.get('path', '?'))}:{kwargs.get('port', '')}"

    def get(self, key: str) -> Optional[bytes]:
        """The cached value, or None when absent or expired."""
        self._before_call()
        try:
            value = self.red.get(self._key(key))
        except REDIS_ERRORS as error:
            raise self._failed("GET", error) from error
        self._succeeded()
        return value

    def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        """Stores `value` with an expiry of `ttl_seconds`."""
        self._before_call()
        try:
            self.red.set(self._key(key), value, ex=ttl_seconds)
        except REDIS_ERRORS as error:
            raise self._failed("SET", error) from error
        self._succeeded()

    def delete(self, *keys: str) -> None:
        """Removes the keys (missing keys are fine)."""
        if not keys:
            return  # DEL needs at least one key
        self._before_call()
        try:
            self.red.delete(*(self._key(key) for key in keys))
        except REDIS_ERRORS as error:
            raise self._failed("DEL", error) from error
        self._succeeded()

    def close(self) -> None:
        """Closes the pooled connections (they reopen on the next call)."""
        self.red.connection_pool.disconnect()

    def _key(self, key: str) -> str:
        return f"{self.key_prefix}{key}"

    def _before_call(self) -> None:
        """Raises at once while backing off; otherwise lets the call (or the one probe) through."""
        with self._lock:
            if self._skip_until is None:
                return
            now = self._clock()
            if now < self._skip_until:
                raise CacheUnavailable(
                    f"Redis at {self._where} skipped for another "
                    f"{self._skip_until - now:.1f} s after: {self._last_failure}"
                )
            # The back-off is over: this call probes Redis; concurrent callers keep skipping until
            # it answers, so a Redis that is still down costs one timeout per back-off period.
            self._skip_until = now + self._backoff_seconds

    def _succeeded(self) -> None:
        with self._lock:
            if self._skip_until is not None:
                logger.info("Redis at %s answers again; using the cache", self._where)
            self._skip_until = None

    def _failed(self, command: str, error: Exception) -> CacheUnavailable:
        """Starts (or extends) the back-off when Redis is unreachable; describes the failure."""
        failure = f"{command} failed: {type(error).__name__}: {error}"
        if isinstance(error, UNREACHABLE_ERRORS):
            with self._lock:
                first = self._skip_until is None
                self._skip_until = self._clock() + self._backoff_seconds
                self._last_failure = failure
            if first:
                logger.warning(
                    "Redis at %s is unavailable (%s); skipping it for %.1f s",
                    self._where,
                    failure,
                    self._backoff_seconds,
                )
        else:
            self._succeeded()  # Redis answered, if only with an error: it is reachable
        return CacheUnavailable(f"Redis at {self._where}: {failure}")
