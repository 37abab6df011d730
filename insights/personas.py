"""Naming clusters after the shop's personas by explicit rules on their centroids.

Centroids are read in original units (EUR, days, tickets per 90 days; logged features are
back-transformed) and compared with the centre of all customers (the centroid of everyone, in the
same units), so the rules hold whatever the shop's scale. Rules are tried in the order below; the
first that a cluster passes names it, and a cluster no rule names is `standard`. Several clusters
may share a persona.

1. new: tenure at most NEW_TENURE_RATIO x the centre's tenure.
2. high_value: spend at least HIGH_VALUE_RATIO x the centre's spend.
3. at_risk: days since the last order at least AT_RISK_RATIO x the centre's, with past value
   (a centroid of at least AT_RISK_MIN_ORDERS orders: most members have ordered).
4. frequent_support: tickets per 90 days at least FREQUENT_SUPPORT_RATIO x the centre's and at
   least FREQUENT_SUPPORT_MIN_RATE (the centre of a shop where most never write is near 0).
"""

from dataclasses import dataclass
from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np

# The names of customer_data.models.SEGMENTS (a test checks they match).
NEW, HIGH_VALUE, AT_RISK, FREQUENT_SUPPORT, STANDARD = (
    "new",
    "high_value",
    "at_risk",
    "frequent_support",
    "standard",
)
NEW_TENURE_RATIO = 0.35
HIGH_VALUE_RATIO = 2.0
AT_RISK_RATIO = 1.5
# Past value: the centroid's orders (a back-transformed log mean) pass 0.5 when most members
# of the cluster have ordered at least once.
AT_RISK_MIN_ORDERS = 0.5
FREQUENT_SUPPORT_RATIO = 2.0
FREQUENT_SUPPORT_MIN_RATE = 0.5  # tickets per 90 days


@dataclass(frozen=True)
class PersonaRule:
    """`persona` for a cluster whose `feature` compares with `ratio` x the centre's value."""

    persona: str
    feature: str
    at_least: bool  # True: centroid >= ratio x centre; False: centroid <= ratio x centre
    ratio: float
    also: Callable[[Dict[str, float]], Tuple[bool, str]] = lambda _: (True, "")

    def check(self, centroid: Dict[str, float], centre: Dict[str, float]) -> Tuple[bool, str]:
        """Whether the cluster passes, and the comparison written out for the report."""
        value, bound = centroid[self.feature], self.ratio * centre[self.feature]
        passed = value >= bound if self.at_least else value <= bound
        sign = (">=" if passed else "<") if self.at_least else ("<=" if passed else ">")
        text = f"{self.feature} {value:,.2f} {sign} {self.ratio} x {centre[self.feature]:,.2f}"
        also_ok, also_text = self.also(centroid)
        return passed and also_ok, text + (f" and {also_text}" if also_text else "")


def _has_ordered(centroid: Dict[str, float]) -> Tuple[bool, str]:
    ok = centroid["frequency"] >= AT_RISK_MIN_ORDERS
    return ok, f"frequency {centroid['frequency']:.2f} {'>=' if ok else '<'} {AT_RISK_MIN_ORDERS}"


def _writes_often(centroid: Dict[str, float]) -> Tuple[bool, str]:
    rate = centroid["tickets_per_90_days"]
    ok = rate >= FREQUENT_SUPPORT_MIN_RATE
    return ok, f"{rate:.2f} {'>=' if ok else '<'} {FREQUENT_SUPPORT_MIN_RATE}"


RULES: Tuple[PersonaRule, ...] = (
    PersonaRule(NEW, "tenure_days", False, NEW_TENURE_RATIO),
    PersonaRule(HIGH_VALUE, "monetary_eur", True, HIGH_VALUE_RATIO),
    PersonaRule(AT_RISK, "recency_days", True, AT_RISK_RATIO, _has_ordered),
    PersonaRule(
        FREQUENT_SUPPORT, "tickets_per_90_days", True, FREQUENT_SUPPORT_RATIO, _writes_often
    ),
)


@dataclass(frozen=True)
class PersonaAssignment:
    """The persona of one cluster and why."""

    cluster: int
    persona: str
    reason: str


def name_clusters(
    centroids: np.ndarray, centre: np.ndarray, names: Sequence[str]
) -> List[PersonaAssignment]:
    """A persona per cluster from its centroid and the all-customer centre (original units)."""
    centre_by_name = dict(zip(names, centre, strict=True))
    assignments = []
    for index, row in enumerate(centroids):
        centroid = dict(zip(names, row, strict=True))
        persona, reason = STANDARD, "no rule matched"
        for rule in RULES:
            passed, text = rule.check(centroid, centre_by_name)
            if passed:
                persona, reason = rule.persona, text
                break
        assignments.append(PersonaAssignment(index, persona, reason))
    return assignments
