"""The customer's segment, which selects Rasa's conditional response variations.

Segmentation (K-Means, in `insights/`) writes each customer's segment to the customer data
service; until a customer has one, it is derived here from the profile with explicit rules, so
every verified customer gets a segment-fitting answer.
"""

from datetime import datetime
from decimal import Decimal
from typing import Optional

from customer_data.schemas import Profile

HIGH_VALUE = "high_value"
AT_RISK = "at_risk"
NEW = "new"
FREQUENT_SUPPORT = "frequent_support"
STANDARD = "standard"
SEGMENTS = (HIGH_VALUE, AT_RISK, NEW, FREQUENT_SUPPORT, STANDARD)

HIGH_VALUE_SPEND = Decimal("1000")
NEW_CUSTOMER_DAYS = 60
FREQUENT_SUPPORT_TICKETS_90_DAYS = 3
DORMANT_DAYS = 180


def segment_for(profile: Profile, now: Optional[datetime] = None) -> str:
    """The profile's segment: the stored one if known, else derived by the rules below.

    Precedence follows what the answer should change first: a gold or big-spending customer is
    high value even when they contact support often; newcomers get guidance before anything else.
    """
    if profile.segment in SEGMENTS:
        return profile.segment
    if profile.tier == "gold" or profile.total_spend >= HIGH_VALUE_SPEND:
        return HIGH_VALUE
    if profile.customer_since_days <= NEW_CUSTOMER_DAYS:
        return NEW
    if profile.tickets_last_90_days >= FREQUENT_SUPPORT_TICKETS_90_DAYS:
        return FREQUENT_SUPPORT
    last_order = profile.last_order
    reference = now or datetime.utcnow()
    if last_order is None or (reference - last_order.placed_at).days > DORMANT_DAYS:
        return AT_RISK
    return STANDARD
