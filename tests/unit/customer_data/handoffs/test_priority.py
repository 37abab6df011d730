import pytest

from customer_data.handoffs.priority import (
    COMPLAINT,
    CUSTOMER_REQUEST,
    REPEATED_FAILURE,
    SERVICE_DOWN,
    SLA_MINUTES,
    HandoffContext,
    priority_for,
)


@pytest.mark.parametrize(
    "context, level",
    [
        (HandoffContext(COMPLAINT, "high_value"), "urgent"),
        (HandoffContext(CUSTOMER_REQUEST, "at_risk", complaint=True), "urgent"),
        (HandoffContext(CUSTOMER_REQUEST, "high_value"), "high"),
        (HandoffContext(REPEATED_FAILURE, "at_risk"), "high"),
        (HandoffContext(COMPLAINT, "standard"), "high"),
        (HandoffContext(CUSTOMER_REQUEST, "new", tier="gold"), "high"),
        (HandoffContext(SERVICE_DOWN, "standard"), "high"),
        (HandoffContext(CUSTOMER_REQUEST, "standard", tier="bronze"), "normal"),
        (HandoffContext(REPEATED_FAILURE, "frequent_support"), "normal"),
        (HandoffContext(CUSTOMER_REQUEST), "low"),
        (HandoffContext(REPEATED_FAILURE), "low"),
    ],
)
def test_priority_rules(context, level):
    priority = priority_for(context)
    assert priority.level == level
    assert priority.sla_minutes == SLA_MINUTES[level]


def test_a_complaint_outranks_a_plain_request_of_the_same_customer():
    plain = priority_for(HandoffContext(CUSTOMER_REQUEST, "high_value"))
    complaint = priority_for(HandoffContext(COMPLAINT, "high_value"))
    assert complaint.rank < plain.rank
    assert complaint.rule == "complaint from a high-value or at-risk customer"


def test_an_anonymous_complaint_is_still_high():
    assert priority_for(HandoffContext(COMPLAINT)).level == "high"
