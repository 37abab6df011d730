"""How urgent a handoff is: explicit rules on the customer's segment and the handoff's context.

The rules are a table read top to bottom; the first that matches decides the priority and is named
in the handoff, so an agent (and a reviewer of these rules) can see why a conversation jumped the
queue. The service computes priority from the segment it has stored, never from one a client
sends, so a caller cannot promote itself.
"""

from dataclasses import dataclass
from typing import Callable, Optional, Tuple

from customer_data.models import HANDOFF_PRIORITIES

URGENT, HIGH, NORMAL, LOW = HANDOFF_PRIORITIES
# Minutes within which an agent should answer, per priority (the handoff's SLA).
SLA_MINUTES = {URGENT: 5, HIGH: 15, NORMAL: 30, LOW: 60}
VALUED_SEGMENTS = frozenset({"high_value", "at_risk"})

# Handoff reasons, named once (the API accepts exactly these).
CUSTOMER_REQUEST = "customer_request"
REPEATED_FAILURE = "repeated_failure"
COMPLAINT = "complaint"
SERVICE_DOWN = "service_down"
ESCALATION_RISK = "escalation_risk"


@dataclass(frozen=True)
class HandoffContext:
    """What the priority rules look at."""

    reason: str
    segment: Optional[str] = None  # None: not segmented yet, or an anonymous visitor
    tier: Optional[str] = None  # None: an anonymous visitor
    complaint: bool = False  # the conversation contains a complaint, whatever the reason

    @property
    def identified(self) -> bool:
        """Whether the customer is known (verified) at all."""
        return self.segment is not None or self.tier is not None

    @property
    def complaining(self) -> bool:
        """A complaint is the reason or was raised on the way."""
        return self.complaint or self.reason == COMPLAINT


@dataclass(frozen=True)
class Priority:
    """A handoff's priority, its rank in the queue (0 first), SLA and the rule that set it."""

    level: str
    sla_minutes: int
    rule: str

    @property
    def rank(self) -> int:
        """Position of the level in `HANDOFF_PRIORITIES`; the queue sorts on it."""
        return HANDOFF_PRIORITIES.index(self.level)


Rule = Tuple[str, Callable[[HandoffContext], bool], str]

RULES: Tuple[Rule, ...] = (
    (
        "complaint from a high-value or at-risk customer",
        lambda c: c.complaining and c.segment in VALUED_SEGMENTS,
        URGENT,
    ),
    ("high-value or at-risk customer", lambda c: c.segment in VALUED_SEGMENTS, HIGH),
    ("complaint", lambda c: c.complaining, HIGH),
    ("gold tier", lambda c: c.tier == "gold", HIGH),
    ("our service failed the customer", lambda c: c.reason == SERVICE_DOWN, HIGH),
    ("known customer", lambda c: c.identified, NORMAL),
    ("anonymous visitor", lambda c: True, LOW),
)


def priority_for(context: HandoffContext) -> Priority:
    """The priority of the first rule in `RULES` that matches `context`."""
    for name, matches, level in RULES:
        if matches(context):
            return Priority(level=level, sla_minutes=SLA_MINUTES[level], rule=name)
    raise AssertionError("the last rule matches everything")  # pragma: no cover
