"""The action server's view of the support desk in the customer data service: handoffs and CSAT.

Kept apart from `CustomerDataClient` because it is a different concern (people, not records) and
the actions that use it are few. `HttpSupportDeskClient` talks to the service; the in-memory
`FakeSupportDeskClient` applies the same priority rules for tests.
"""

from abc import ABC, abstractmethod
from datetime import datetime, timedelta
from typing import List, Optional

from actions.clients.errors import ServiceUnavailable
from customer_data.handoffs.priority import HandoffContext, priority_for
from customer_data.handoffs.schemas import (
    Availability,
    HandoffCreate,
    HandoffOut,
    RatingCreate,
    RatingOut,
)


class SupportDeskClient(ABC):
    """Queue a conversation for an agent, ask whether agents work now, store ratings."""

    @abstractmethod
    def availability(self) -> Availability:
        """Whether agents work now, when they next start and the expected wait."""

    @abstractmethod
    def create_handoff(self, request: HandoffCreate) -> HandoffOut:
        """Queues the conversation (idempotent while a handoff is open)."""

    @abstractmethod
    def record_rating(self, rating: RatingCreate) -> RatingOut:
        """Stores a satisfaction rating."""


class FakeSupportDeskClient(SupportDeskClient):
    """In memory; `open=False` is outside business hours, `failing=True` a service outage."""

    def __init__(
        self,
        now: Optional[datetime] = None,
        open: bool = True,  # noqa: A002 - mirrors Availability.open
        failing: bool = False,
        wait_minutes: int = 4,
    ) -> None:
        """Starts with an empty queue."""
        self.now = now or datetime(2026, 11, 23, 10, 0)
        self.open = open
        self.failing = failing
        self.wait_minutes = wait_minutes
        self.handoffs: List[HandoffCreate] = []
        self.ratings: List[RatingCreate] = []

    def _check(self) -> None:
        if self.failing:
            raise ServiceUnavailable("the support desk is down (fake)")

    def availability(self) -> Availability:
        self._check()
        opening = self.now if self.open else self.now + timedelta(hours=14)
        return Availability(
            open=self.open,
            next_opening=opening,
            queue_length=len(self.handoffs),
            expected_wait_minutes=self.wait_minutes,
        )

    def create_handoff(self, request: HandoffCreate) -> HandoffOut:
        self._check()
        self.handoffs.append(request)
        tier = "bronze" if request.customer_id else None
        priority = priority_for(
            HandoffContext(request.reason, request.segment, tier, request.complaint)
        )
        return HandoffOut(
            id=len(self.handoffs),
            conversation_id=request.conversation_id,
            channel=request.channel,
            customer_id=request.customer_id,
            segment=request.segment,
            reason=request.reason,
            priority=priority.level,
            status="queued",
            created_at=self.now,
            sla_due_at=self.now + timedelta(minutes=priority.sla_minutes),
            within_business_hours=self.open,
            agent=None,
            closed_at=None,
            expected_wait_minutes=self.wait_minutes,
            priority_rule=priority.rule,
        )

    def record_rating(self, rating: RatingCreate) -> RatingOut:
        self._check()
        self.ratings.append(rating)
        return RatingOut(**rating.dict(), id=len(self.ratings), at=self.now)
