from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from actions.segments import segment_for
from tests.unit.actions.clients.samples import make_order, make_profile, summary

NOW = datetime(2026, 11, 23)


def profile(**overrides):
    recent = summary(make_order(placed_at=NOW - timedelta(days=20)))
    defaults = dict(
        segment=None,
        tier="silver",
        total_spend=Decimal("300"),
        customer_since_days=400,
        tickets_last_90_days=0,
        last_order=recent,
    )
    return make_profile(**{**defaults, **overrides})


def test_stored_segment_wins():
    assert segment_for(profile(segment="at_risk", tier="gold"), NOW) == "at_risk"


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({}, "standard"),
        ({"tier": "gold"}, "high_value"),
        ({"total_spend": Decimal("1500")}, "high_value"),
        ({"tier": "gold", "tickets_last_90_days": 6}, "high_value"),
        ({"customer_since_days": 10}, "new"),
        ({"tickets_last_90_days": 3}, "frequent_support"),
        ({"last_order": None}, "at_risk"),
    ],
)
def test_derived_segment(overrides, expected):
    assert segment_for(profile(**overrides), NOW) == expected


def test_dormant_customer_is_at_risk():
    old = summary(make_order(placed_at=NOW - timedelta(days=400)))
    assert segment_for(profile(last_order=old), NOW) == "at_risk"
