"""A thread-safe circuit breaker, so a down service costs one fast failure instead of a timeout.

closed --(N consecutive failures)--> open --(cool-down elapsed)--> half-open --(trial ok)--> closed
                                      ^                                  |
                                      +----------(trial failed)----------+

Only failures of the configured types count (by default `ServiceUnavailable`: connection errors,
timeouts, 5xx). Any other outcome, including a 4xx error, shows the service is answering and
resets the count.
"""

import logging
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, Tuple, Type

from actions.clients.errors import CircuitOpen, ServiceUnavailable

logger = logging.getLogger(__name__)

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half_open"

DEFAULT_FAILURE_THRESHOLD = 5
DEFAULT_RESET_TIMEOUT_SECONDS = 30.0


class CircuitBreaker:
    """Opens after consecutive failures, fails fast while open, then lets one trial call through.

    Example:
        >>> breaker = CircuitBreaker()
        >>> with breaker.guard():
        ...     pass  # the call to protect

    """

    def __init__(
        self,
        failure_threshold: int = DEFAULT_FAILURE_THRESHOLD,
        reset_timeout: float = DEFAULT_RESET_TIMEOUT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        failure_types: Tuple[Type[BaseException], ...] = (ServiceUnavailable,),
        name: str = "customer-data",
    ) -> None:
        """Creates a closed breaker.

        Args:
            failure_threshold: Consecutive failures that open the circuit.
            reset_timeout: Seconds the circuit stays open before a trial call is let through.
            clock: Monotonic seconds; injectable so tests need not sleep.
            failure_types: Exceptions that count as failures of the protected service.
            name: Used in log lines and error messages.

        """
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self._failure_threshold = failure_threshold
        self._reset_timeout = reset_timeout
        self._clock = clock
        self._failure_types = failure_types
        self._name = name
        self._lock = threading.Lock()
        self._state = CLOSED
        self._consecutive_failures = 0
        self._opened_at = 0.0
        self._trial_in_flight = False

    @property
    def state(self) -> str:
        """`closed`, `open` or `half_open` (open turns half-open once the cool-down is over)."""
        with self._lock:
            if self._state == OPEN and self._cool_down_over():
                return HALF_OPEN
            return self._state

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Runs the body as one protected call and records its outcome.

        Raises:
            CircuitOpen: Without running the body, while the circuit is open or while a
                half-open trial call is still in flight.

        """
        self._admit()
        failed = False
        try:
            yield
        except self._failure_types:
            failed = True
            raise
        finally:
            self._record(failed)

    def _cool_down_over(self) -> bool:
        return self._clock() - self._opened_at >= self._reset_timeout

    def _admit(self) -> None:
        with self._lock:
            if self._state == OPEN:
                if not self._cool_down_over():
                    raise CircuitOpen(
                        f"{self._name}: circuit open after repeated failures; failing fast"
                    )
                self._state = HALF_OPEN
                self._trial_in_flight = False
            if self._state == HALF_OPEN:
                if self._trial_in_flight:
                    raise CircuitOpen(f"{self._name}: circuit half-open; a trial call is running")
                self._trial_in_flight = True

    def _record(self, failed: bool) -> None:
        with self._lock:
            if not failed:
                if self._state != CLOSED:
                    logger.info("%s: circuit closed, the service answers again", self._name)
                self._state = CLOSED
                self._consecutive_failures = 0
                self._trial_in_flight = False
                return
            self._consecutive_failures += 1
            if self._state == HALF_OPEN or (
                self._state == CLOSED and self._consecutive_failures >= self._failure_threshold
            ):
                self._open()

    def _open(self) -> None:
        self._state = OPEN
        self._opened_at = self._clock()
        self._trial_in_flight = False
        logger.warning(
            "%s: circuit opened after %d consecutive failures; failing fast for %.0f s",
            self._name,
            self._consecutive_failures,
            self._reset_timeout,
        )
