"""The real support desk client: the data service's handoff and satisfaction endpoints."""

from typing import Optional

import requests

from actions.clients.circuit_breaker import CircuitBreaker
from actions.clients.http_transport import DEFAULT_POOL_MAXSIZE, JsonHttpTransport, build_session
from actions.clients.support_desk import SupportDeskClient
from customer_data.handoffs.schemas import (
    Availability,
    HandoffCreate,
    HandoffOut,
    RatingCreate,
    RatingOut,
)

GET, POST = "GET", "POST"
HANDOFFS_PATH = "/api/handoffs"
AVAILABILITY_PATH = HANDOFFS_PATH + "/availability"
SATISFACTION_PATH = "/api/satisfaction"


class HttpSupportDeskClient(SupportDeskClient):
    """Timeouts, one safe retry and a circuit breaker, like `HttpCustomerDataClient`."""

    def __init__(
        self,
        base_url: str,
        token: str,
        connect_timeout: float = 0.5,
        read_timeout: float = 3.0,
        session: Optional[requests.Session] = None,
    ) -> None:
        """Creates the client; nothing is sent until the first call."""
        self._transport = JsonHttpTransport(
            base_url,
            token,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            breaker=CircuitBreaker(),
            session=session or build_session(DEFAULT_POOL_MAXSIZE),
        )

    def availability(self) -> Availability:
        return self._transport.call(GET, AVAILABILITY_PATH, Availability)

    def create_handoff(self, request: HandoffCreate) -> HandoffOut:
        return self._transport.call(POST, HANDOFFS_PATH, HandoffOut, body=request)

    def record_rating(self, rating: RatingCreate) -> RatingOut:
        return self._transport.call(POST, SATISFACTION_PATH, RatingOut, body=rating)
