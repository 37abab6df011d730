"""A lock store that is Redis when `REDIS_URL` is set and in-memory otherwise.

Rasa picks the lock store type from `endpoints.yml`, which cannot branch on whether an environment
variable exists. This class is named there once and delegates to Rasa's own `RedisLockStore` or
`InMemoryLockStore`, chosen when the server starts.
"""

import logging
from typing import Optional

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
    InMemoryLockStore,
    LockStore,
    RedisLockStore,
)
from rasa.utils.endpoints import EndpointConfig

from conversation_store.settings import redis_url

logger = logging.getLogger(__name__)

KEY_PREFIX = "shop_support"


def build_redis_lock_store(url: str, key_prefix: str = KEY_PREFIX) -> RedisLockStore:
    """Rasa's `RedisLockStore` connected through a full Redis URL (auth, db, TLS in the URL)."""
    store = RedisLockStore(key_prefix=key_prefix)
    store.red = redis.Redis.from_url(
        url,
        socket_timeout=DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
        socket_connect_timeout=DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
    )
    return store


class UrlLockStore(LockStore):
    """Delegates to Redis (`REDIS_URL`) or to memory; the choice is made once, at start-up."""

    def __init__(
        self, endpoint_config: Optional[EndpointConfig] = None, url: Optional[str] = None
    ) -> None:
        """Builds the delegate store from `url`, the endpoint config's `url`, or `REDIS_URL`."""
        configured = url or (endpoint_config.url if endpoint_config else None) or redis_url()
        key_prefix = KEY_PREFIX
        if endpoint_config and endpoint_config.kwargs.get("key_prefix"):
            key_prefix = str(endpoint_config.kwargs["key_prefix"])
        self.delegate: LockStore
        if configured:
            self.delegate = build_redis_lock_store(configured, key_prefix)
        else:
            self.delegate = InMemoryLockStore()
        logger.info("Lock store: %s", type(self.delegate).__name__)
        super().__init__()

    def get_lock(self, conversation_id: str) -> Optional[TicketLock]:
        """Fetches the conversation's lock from the delegate store."""
        return self.delegate.get_lock(conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        """Deletes the conversation's lock from the delegate store."""
        self.delegate.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        """Saves the lock in the delegate store."""
        self.delegate.save_lock(lock)
