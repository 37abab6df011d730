"""Per-client rate limiting with a token bucket, in process.

Each client may burst up to `CUSTOMER_DATA_RATE_LIMIT_PER_MINUTE` requests and is refilled at
that rate. The buckets live in this process: behind a load balancer with N instances a client
gets N times the limit, which is the accepted trade-off for a stateless, Redis-free hot path.
"""

import math
import threading
import time
from typing import Callable, Dict, Tuple

from fastapi import Depends, Request
from typing_extensions import Annotated

from customer_data.api.auth import authenticated_client
from customer_data.api.errors import RATE_LIMITED, ApiError

SECONDS_PER_MINUTE = 60.0


class TokenBucketLimiter:
    """One token bucket per client id; thread-safe."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        """Allows `per_minute` requests per minute per client, bursting up to that many."""
        self._capacity = float(per_minute)
        self._refill_per_second = per_minute / SECONDS_PER_MINUTE
        self._clock = clock
        self._buckets: Dict[str, Tuple[float, float]] = {}  # client -> (tokens, updated at)
        self._lock = threading.Lock()

    def acquire(self, client: str) -> Tuple[bool, int]:
        """Takes one token for `client`: (allowed, seconds to wait before retrying)."""
        now = self._clock()
        with self._lock:
            tokens, updated_at = self._buckets.get(client, (self._capacity, now))
            tokens = min(self._capacity, tokens + (now - updated_at) * self._refill_per_second)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                return True, 0
            self._buckets[client] = (tokens, now)
        return False, max(1, math.ceil((1.0 - tokens) / self._refill_per_second))


async def rate_limited_client(
    request: Request, client: Annotated[str, Depends(authenticated_client)]
) -> str:
    """The authenticated client id, or a 429 with Retry-After when it is over its limit."""
    limiter: TokenBucketLimiter = request.app.state.rate_limiter
    allowed, retry_after = limiter.acquire(client)
    if not allowed:
        raise ApiError(
            429,
            RATE_LIMITED,
            f"too many requests from {client}; retry after {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )
    return client
