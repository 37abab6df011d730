"""The API over the real Redis profile cache (the `redis_url` fixture starts redis-server)."""

import pytest

from customer_data.cache import profile_key
from customer_data.redis_cache import RedisProfileCache
from tests.integration.customer_data.api_support import AUTH, build_container, client_for
from tests.unit.customer_data.factories import ADA, ADA_OLD


@pytest.fixture
def container(tmp_path, redis_url):
    cache = RedisProfileCache(redis_url, key_prefix=f"test-{tmp_path.name}:")
    container = build_container(tmp_path, cache=cache)
    yield container
    cache.delete(profile_key(ADA))
    cache.close()
    container.engine.dispose()


def test_profiles_are_cached_in_redis_and_invalidated_by_writes(container):
    with client_for(container) as client:
        assert client.get("/health").json()["cache"] == "redis"
        first = client.get(f"/api/customers/{ADA}/profile", headers=AUTH)
        assert container.profiles.cache.get(profile_key(ADA)) == first.content
        cancelled = client.post(f"/api/customers/{ADA}/orders/{ADA_OLD}/cancel", json={},
                                headers=AUTH)  # fmt: skip
        assert cancelled.status_code == 200
        assert container.profiles.cache.get(profile_key(ADA)) is None
        after = client.get(f"/api/customers/{ADA}/profile", headers=AUTH).json()
    assert ADA_OLD not in [order["id"] for order in after["open_orders"]]
    assert container.profiles.stats["errors"] == 0
