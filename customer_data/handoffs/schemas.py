"""The handoff and satisfaction API bodies (pydantic 1.x), shared with the assistant's client."""

from datetime import datetime
from typing import Dict, List, Optional

from pydantic import Field, conint, constr, validator

from customer_data.models import HANDOFF_REASONS, HANDOFF_STATUSES
from customer_data.schemas import ApiModel, CustomerId, Profile

MAX_TRANSCRIPT_LINES = 200
MAX_TEXT = 2000
ConversationId = constr(min_length=1, max_length=128)
Channel = constr(regex=r"^[a-z_]{1,16}$")
AgentName = constr(regex=r"^[A-Za-z0-9 ._@-]{1,64}$", strip_whitespace=True)
Text = constr(min_length=1, max_length=MAX_TEXT, strip_whitespace=True)
TRANSCRIPT_AUTHORS = ("customer", "assistant")


class TranscriptLine(ApiModel):
    """One line of the conversation before the handoff, as the assistant saw it."""

    author: str
    text: constr(max_length=MAX_TEXT)
    at: Optional[datetime] = None

    @validator("author")
    def known_author(cls, value: str) -> str:  # noqa: N805
        """Only the two parties of the conversation so far."""
        if value not in TRANSCRIPT_AUTHORS:
            raise ValueError(f"author must be one of: {', '.join(TRANSCRIPT_AUTHORS)}")
        return value


class HandoffSummary(ApiModel):
    """What an agent reads first: what the customer wanted and what was already tried."""

    intents: List[str] = Field(default_factory=list, max_items=50)
    entities: Dict[str, str] = Field(default_factory=dict)
    tried: List[str] = Field(default_factory=list, max_items=50)
    last_message: Optional[constr(max_length=MAX_TEXT)] = None
    priority_rule: Optional[str] = None  # set by the service: why this priority


class HandoffCreate(ApiModel):
    """The assistant asks for a human."""

    conversation_id: ConversationId
    channel: Channel
    customer_id: Optional[CustomerId] = None
    segment: Optional[str] = None  # used only when the service has none stored
    reason: str
    complaint: bool = False
    summary: HandoffSummary = Field(default_factory=HandoffSummary)
    transcript: List[TranscriptLine] = Field(default_factory=list, max_items=MAX_TRANSCRIPT_LINES)

    @validator("reason")
    def known_reason(cls, value: str) -> str:  # noqa: N805
        """One of `HANDOFF_REASONS`."""
        if value not in HANDOFF_REASONS:
            raise ValueError(f"reason must be one of: {', '.join(HANDOFF_REASONS)}")
        return value


class HandoffOut(ApiModel):
    """A handoff in the queue, with what the customer is told about the wait."""

    id: int
    conversation_id: str
    channel: str
    customer_id: Optional[str]
    segment: Optional[str]
    reason: str
    priority: str
    status: str
    created_at: datetime
    sla_due_at: datetime
    within_business_hours: bool
    agent: Optional[str]
    closed_at: Optional[datetime]
    waiting_minutes: int = 0
    expected_wait_minutes: Optional[int] = None  # while queued
    priority_rule: Optional[str] = None


class HandoffMessageOut(ApiModel):
    """One transcript line of a handoff."""

    id: int
    author: str
    agent: Optional[str]
    text: str
    at: datetime
    delivered_at: Optional[datetime]


class HandoffDetail(HandoffOut):
    """A handoff with everything an agent needs: summary, transcript and the profile."""

    summary: HandoffSummary
    messages: List[HandoffMessageOut]
    profile: Optional[Profile]


class Availability(ApiModel):
    """Whether agents are working now and how long a new handoff would wait."""

    open: bool
    next_opening: datetime
    queue_length: int
    expected_wait_minutes: int


class CustomerMessage(ApiModel):
    """A message the customer wrote while the conversation is with an agent."""

    conversation_id: ConversationId
    text: Text


class AgentMessage(ApiModel):
    """An agent's reply, delivered into the customer's conversation."""

    agent: AgentName
    text: Text


class AgentAction(ApiModel):
    """Who claims, closes or hands back a handoff."""

    agent: AgentName


class DeliveryOut(ApiModel):
    """Whether the assistant's server accepted what was sent into the conversation."""

    delivered: bool


class AgentMessageOut(HandoffMessageOut, DeliveryOut):
    """The stored reply and whether it reached the conversation."""


class HandoffTransition(DeliveryOut):
    """A handoff after it was closed or handed back."""

    handoff: HandoffOut


class RatingCreate(ApiModel):
    """A customer's satisfaction rating of one conversation."""

    conversation_id: ConversationId
    customer_id: Optional[CustomerId] = None
    segment: Optional[str] = None
    flow: constr(regex=r"^[a-z_]{1,64}$")
    human_involved: bool
    rating: conint(ge=1, le=5)
    comment: Optional[constr(max_length=MAX_TEXT, strip_whitespace=True)] = None


class RatingOut(RatingCreate):
    """A stored rating."""

    id: int
    at: datetime


class RatingSummaryRow(ApiModel):
    """Average rating of one flow, with and without a human."""

    flow: str
    human_involved: bool
    ratings: int
    average: float


STATUSES = HANDOFF_STATUSES
