"""The composition root: builds the service's collaborators once, from settings.

Everything with I/O (engine, cache client, audit writer) is created here and nowhere else, so tests
swap in an in-memory database or cache by building a `Container` with other settings.
"""

from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from customer_data.cache import CacheAside, InMemoryTTLCache, ProfileCache
from customer_data.db import build_engine, build_session_factory
from customer_data.settings import Settings, get_settings


def build_cache(settings: Settings) -> ProfileCache:
    """Redis when `REDIS_URL` is set, otherwise the in-process TTL cache."""
    if settings.redis_url:
        from customer_data.redis_cache import RedisProfileCache

        return RedisProfileCache(settings.redis_url)
    return InMemoryTTLCache()


@dataclass
class Container:
    """The collaborators one running service shares across requests."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker
    profiles: CacheAside
    extras: dict = field(default_factory=dict)  # per-feature singletons (rate limiter, audit)


def bootstrap(
    settings: Optional[Settings] = None, cache: Optional[ProfileCache] = None
) -> Container:
    """Builds the container from `settings` (default: the environment)."""
    settings = settings or get_settings()
    engine = build_engine(settings.database_url)
    return Container(
        settings=settings,
        engine=engine,
        session_factory=build_session_factory(engine),
        profiles=CacheAside(cache or build_cache(settings), settings.profile_cache_ttl_seconds),
    )
