import threading

import pytest

from actions.clients.circuit_breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker
from actions.clients.errors import CircuitOpen, NotFound, ServiceUnavailable


@pytest.fixture
def breaker(clock):
    return CircuitBreaker(failure_threshold=5, reset_timeout=30.0, clock=clock)


def fail(breaker, error=None):
    error = error or ServiceUnavailable("down")
    with pytest.raises(type(error)):
        with breaker.guard():
            raise error


def succeed(breaker):
    with breaker.guard():
        pass


def test_five_consecutive_failures_open_the_circuit(breaker):
    for _ in range(4):
        fail(breaker)
    assert breaker.state == CLOSED

    fail(breaker)

    assert breaker.state == OPEN


def test_an_open_circuit_does_not_run_the_call(breaker):
    for _ in range(5):
        fail(breaker)
    calls = []

    with pytest.raises(CircuitOpen):
        with breaker.guard():
            calls.append("ran")

    assert calls == []


def test_a_success_resets_the_count(breaker):
    for _ in range(4):
        fail(breaker)
    succeed(breaker)
    for _ in range(4):
        fail(breaker)

    assert breaker.state == CLOSED


def test_errors_that_are_not_outages_count_as_answers(breaker):
    for _ in range(4):
        fail(breaker)
    fail(breaker, NotFound("no such customer"))
    for _ in range(4):
        fail(breaker)

    assert breaker.state == CLOSED


def test_half_open_after_the_cool_down_lets_one_trial_through(breaker, clock):
    for _ in range(5):
        fail(breaker)
    clock.advance(29.9)
    assert breaker.state == OPEN
    clock.advance(0.1)
    assert breaker.state == HALF_OPEN

    with breaker.guard():
        # While the trial runs, everyone else still fails fast.
        with pytest.raises(CircuitOpen):
            with breaker.guard():
                pass

    assert breaker.state == CLOSED


def test_a_failed_trial_opens_the_circuit_for_another_cool_down(breaker, clock):
    for _ in range(5):
        fail(breaker)
    clock.advance(30)

    fail(breaker)

    assert breaker.state == OPEN
    clock.advance(29)
    with pytest.raises(CircuitOpen):
        succeed(breaker)
    clock.advance(1)
    succeed(breaker)
    assert breaker.state == CLOSED


def test_failures_from_many_threads_are_all_counted(clock):
    breaker = CircuitBreaker(failure_threshold=200, clock=clock)
    start = threading.Barrier(8)

    def worker():
        start.wait()
        for _ in range(25):
            fail(breaker)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert breaker.state == OPEN


def test_threshold_must_be_positive():
    with pytest.raises(ValueError):
        CircuitBreaker(failure_threshold=0)
