from customer_data.api.rate_limit import TokenBucketLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bursts_up_to_the_limit_then_says_when_to_retry():
    clock = FakeClock()
    limiter = TokenBucketLimiter(per_minute=2, clock=clock)
    assert limiter.acquire("a") == (True, 0)
    assert limiter.acquire("a") == (True, 0)
    assert limiter.acquire("a") == (False, 30)
    clock.now += 15
    assert limiter.acquire("a") == (False, 15)
    clock.now += 15
    assert limiter.acquire("a") == (True, 0)


def test_clients_have_their_own_buckets():
    limiter = TokenBucketLimiter(per_minute=1, clock=FakeClock())
    assert limiter.acquire("a")[0]
    assert not limiter.acquire("a")[0]
    assert limiter.acquire("b")[0]


def test_refill_never_exceeds_the_burst():
    clock = FakeClock()
    limiter = TokenBucketLimiter(per_minute=3, clock=clock)
    limiter.acquire("a")
    clock.now += 3600
    assert [limiter.acquire("a")[0] for _ in range(4)] == [True, True, True, False]
