"""Environment variables that choose where conversations and locks live."""

import os
from typing import Optional

TRACKER_STORE_URL_ENV = "TRACKER_STORE_URL"
REDIS_URL_ENV = "REDIS_URL"
DEFAULT_TRACKER_STORE_URL = "sqlite:///var/tracker.db"


def tracker_store_url() -> str:
    """The SQLAlchemy URL of the tracker store; a SQLite file under `var/` unless configured."""
    return os.environ.get(TRACKER_STORE_URL_ENV, "").strip() or DEFAULT_TRACKER_STORE_URL


def redis_url() -> Optional[str]:
    """The Redis URL for the lock store, or None for the in-memory lock store."""
    return os.environ.get(REDIS_URL_ENV, "").strip() or None
