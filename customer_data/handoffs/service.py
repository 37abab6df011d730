"""The handoff queue: create, list by priority and waiting time, reply, claim, close, hand back.

Functions take the caller's session (one unit of work per request) and a `HandoffDesk` that holds
the settings-derived collaborators: business hours, staffing for wait estimates, and delivery into
conversations. The routes deliver after the change is committed, so a message is never lost
because the assistant was unreachable: it stays in the transcript with no `delivered_at`.
"""

import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import List, Optional, Tuple

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from customer_data.handoffs import schemas
from customer_data.handoffs.business_hours import BusinessHours
from customer_data.handoffs.delivery import (
    ACTION_HANDOFF_CLOSED,
    ACTION_HANDOFF_RETURNED,
    ConversationDelivery,
)
from customer_data.handoffs.priority import HandoffContext, priority_for
from customer_data.models import Customer, Handoff, HandoffMessage
from customer_data.orders_service import NotFound, RuleViolation
from customer_data.profiles import build_profile

QUEUED, ASSIGNED, CLOSED, RETURNED = "queued", "assigned", "closed", "returned"
OPEN_STATUSES = (QUEUED, ASSIGNED)
CUSTOMER, AGENT, ASSISTANT = "customer", "agent", "assistant"


@dataclass
class HandoffDesk:
    """What the queue needs besides the database."""

    hours: BusinessHours
    agents_on_shift: int
    handling_minutes: int
    delivery: ConversationDelivery

    def expected_wait(self, ahead: int, now: datetime) -> int:
        """Minutes until an agent picks up a handoff with `ahead` handoffs before it."""
        working = math.ceil((ahead + 1) * self.handling_minutes / self.agents_on_shift)
        closed_for = (self.hours.next_opening(now) - now).total_seconds() / 60
        return int(math.ceil(closed_for)) + working


def _summary(handoff: Handoff) -> schemas.HandoffSummary:
    return schemas.HandoffSummary.parse_obj(json.loads(handoff.summary))


def _ahead_of(session: Session, handoff: Handoff) -> int:
    earlier = or_(
        Handoff.priority_rank < handoff.priority_rank,
        and_(Handoff.priority_rank == handoff.priority_rank, Handoff.id < handoff.id),
    )
    statement = select(func.count(Handoff.id)).where(Handoff.status == QUEUED, earlier)
    return session.execute(statement).scalar_one()


def _out(
    session: Session, handoff: Handoff, desk: HandoffDesk, now: datetime
) -> schemas.HandoffOut:
    out = schemas.HandoffOut.from_orm(handoff)
    out.waiting_minutes = max(0, int((now - handoff.created_at).total_seconds() // 60))
    out.priority_rule = _summary(handoff).priority_rule
    if handoff.status == QUEUED:
        out.expected_wait_minutes = desk.expected_wait(_ahead_of(session, handoff), now)
    return out


def open_handoff_for(session: Session, conversation_id: str) -> Optional[Handoff]:
    """The conversation's handoff that is still with an agent, if any."""
    statement = select(Handoff).where(
        Handoff.conversation_id == conversation_id, Handoff.status.in_(OPEN_STATUSES)
    )
    return session.execute(statement.order_by(Handoff.id.desc())).scalars().first()


def availability(session: Session, desk: HandoffDesk, now: datetime) -> schemas.Availability:
    """Whether agents work now and how long a new handoff of the lowest rank would wait."""
    queued = select(func.count(Handoff.id)).where(Handoff.status == QUEUED)
    queue_length = session.execute(queued).scalar_one()
    return schemas.Availability(
        open=desk.hours.is_open(now),
        next_opening=desk.hours.next_opening(now),
        queue_length=queue_length,
        expected_wait_minutes=desk.expected_wait(queue_length, now),
    )


def create_handoff(
    session: Session, request: schemas.HandoffCreate, desk: HandoffDesk, now: datetime
) -> schemas.HandoffOut:
    """Queues the conversation for an agent; an already open handoff is returned as it is."""
    existing = open_handoff_for(session, request.conversation_id)
    if existing is not None:
        return _out(session, existing, desk, now)
    segment, tier = request.segment, None
    if request.customer_id is not None:
        customer = session.get(Customer, request.customer_id)
        if customer is None:
            raise NotFound(f"no customer {request.customer_id}")
        profile = build_profile(session, request.customer_id, now)
        segment, tier = (profile.segment or segment), customer.tier
    priority = priority_for(
        HandoffContext(request.reason, segment, tier, complaint=request.complaint)
    )
    summary = request.summary.copy(update={"priority_rule": priority.rule})
    handoff = Handoff(
        conversation_id=request.conversation_id,
        channel=request.channel,
        customer_id=request.customer_id,
        segment=segment,
        reason=request.reason,
        priority=priority.level,
        priority_rank=priority.rank,
        status=QUEUED,
        summary=summary.json(),
        created_at=now,
        sla_due_at=desk.hours.next_opening(now) + timedelta(minutes=priority.sla_minutes),
        within_business_hours=desk.hours.is_open(now),
    )
    handoff.messages = [
        HandoffMessage(author=line.author, text=line.text, at=line.at or now)
        for line in request.transcript
    ]
    session.add(handoff)
    session.flush()
    return _out(session, handoff, desk, now)


def list_queue(
    session: Session, desk: HandoffDesk, now: datetime, statuses=OPEN_STATUSES, limit: int = 100
) -> List[schemas.HandoffOut]:
    """Handoffs in `statuses`, most urgent first, then longest waiting."""
    statement = (
        select(Handoff)
        .where(Handoff.status.in_(statuses))
        .order_by(Handoff.priority_rank, Handoff.created_at, Handoff.id)
        .limit(limit)
    )
    return [_out(session, h, desk, now) for h in session.execute(statement).scalars()]


def _require(session: Session, handoff_id: int) -> Handoff:
    statement = (
        select(Handoff).where(Handoff.id == handoff_id).options(selectinload(Handoff.messages))
    )
    handoff = session.execute(statement).scalars().first()
    if handoff is None:
        raise NotFound(f"no handoff {handoff_id}")
    return handoff


def _require_open(session: Session, handoff_id: int) -> Handoff:
    handoff = _require(session, handoff_id)
    if handoff.status not in OPEN_STATUSES:
        raise RuleViolation(f"handoff {handoff_id} is already {handoff.status}")
    return handoff


def get_handoff(
    session: Session, handoff_id: int, desk: HandoffDesk, now: datetime
) -> schemas.HandoffDetail:
    """One handoff with summary, transcript and the customer's profile."""
    handoff = _require(session, handoff_id)
    profile = build_profile(session, handoff.customer_id, now) if handoff.customer_id else None
    return schemas.HandoffDetail(
        **_out(session, handoff, desk, now).dict(),
        summary=_summary(handoff),
        messages=[schemas.HandoffMessageOut.from_orm(m) for m in handoff.messages],
        profile=profile,
    )


def append_customer_message(
    session: Session, conversation_id: str, text: str, now: datetime
) -> schemas.HandoffMessageOut:
    """Adds what the customer wrote while waiting or talking to an agent."""
    handoff = open_handoff_for(session, conversation_id)
    if handoff is None:
        raise NotFound("the conversation has no open handoff")
    message = HandoffMessage(handoff=handoff, author=CUSTOMER, text=text, at=now)
    session.add(message)
    session.flush()
    return schemas.HandoffMessageOut.from_orm(message)


def claim(
    session: Session, handoff_id: int, agent: str, desk: HandoffDesk, now: datetime
) -> schemas.HandoffOut:
    """An agent takes the handoff (it leaves the waiting queue)."""
    handoff = _require_open(session, handoff_id)
    if handoff.status == ASSIGNED and handoff.agent != agent:
        raise RuleViolation(f"handoff {handoff_id} is already with {handoff.agent}")
    handoff.status, handoff.agent = ASSIGNED, agent
    return _out(session, handoff, desk, now)


def reply(
    session: Session, handoff_id: int, agent: str, text: str, now: datetime
) -> Tuple[str, schemas.HandoffMessageOut]:
    """Stores the agent's reply and claims the handoff if nobody has.

    Returns the conversation id and the stored line; the caller delivers after committing.
    """
    handoff = _require_open(session, handoff_id)
    if handoff.status == QUEUED:
        handoff.status, handoff.agent = ASSIGNED, agent
    message = HandoffMessage(handoff=handoff, author=AGENT, agent=agent, text=text, at=now)
    session.add(message)
    session.flush()
    return handoff.conversation_id, schemas.HandoffMessageOut.from_orm(message)


def mark_delivered(session: Session, message_id: int, now: datetime) -> None:
    """Records that the assistant's server accepted an agent's line for the channel."""
    message = session.get(HandoffMessage, message_id)
    if message is not None:
        message.delivered_at = now


def finish(
    session: Session,
    handoff_id: int,
    agent: str,
    hand_back: bool,
    desk: HandoffDesk,
    now: datetime,
) -> Tuple[str, schemas.HandoffOut]:
    """Closes the handoff (resolved) or hands the conversation back to the assistant.

    Returns the assistant action that tells the conversation, and the handoff; the caller runs
    the action after committing.
    """
    handoff = _require_open(session, handoff_id)
    handoff.status = RETURNED if hand_back else CLOSED
    handoff.agent = handoff.agent or agent
    handoff.closed_at = now
    session.flush()
    action = ACTION_HANDOFF_RETURNED if hand_back else ACTION_HANDOFF_CLOSED
    return action, _out(session, handoff, desk, now)
