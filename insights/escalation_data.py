"""A deterministic synthetic dataset of conversations labelled "needed a human" or not.

No real conversation outcomes exist in the demo data, so labels are simulated from the demo
customers' real profiles (data/crm) and simulated conversations. The generating process:

- profile: tier, order count, refunds, open and recent tickets, days since the last order and
  mean satisfaction as of the export's last timestamp; a rule-based segment stands in for the
  segmentation model (about one profile in seven has none yet, as before segmentation ran);
- conversation: intent drawn from `INTENT_WEIGHTS`; turns, fallbacks, clarifications and
  negative words are Poisson counts whose rates rise with complaints and money intents; a service
  error happens in `SERVICE_ERROR_RATE` of conversations;
- label: Bernoulli(sigmoid(logit)) where the logit (`risk_logit`) rises with complaint intent,
  repeated fallbacks, negative words, service errors, at_risk/high_value segments, open and
  recent tickets and low past satisfaction, plus Gaussian noise the model cannot see.
"""

import csv
import math
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, NamedTuple

import numpy as np

from insights.resolution_history import DEFAULT_CRM, read_customers, read_tickets

SEED = 11
N_CONVERSATIONS = 6000
NO_SEGMENT_SHARE = 0.15
SERVICE_ERROR_RATE = 0.04
NOISE_SD = 0.7
INTENT_WEIGHTS = {
    "track_order": 18,
    "cancel_order": 8,
    "change_order": 5,
    "get_refund": 9,
    "track_refund": 6,
    "delivery_period": 6,
    "payment_issue": 7,
    "get_invoice": 5,
    "edit_account": 4,
    "recover_password": 5,
    "check_payment_methods": 4,
    "complaint": 7,
    "contact_customer_service": 5,
    "greet": 6,
    "review": 3,
}
MONEY_INTENTS = frozenset({"get_refund", "track_refund", "payment_issue"})
CALM_INTENTS = frozenset({"greet", "review", "check_payment_methods"})
SEGMENT_RISK = {"at_risk": 0.9, "high_value": 0.6, "frequent_support": 0.3, "new": -0.2}
OPEN_STATUSES = frozenset({"open", "pending"})
DAY_SECONDS = 86400


class Example(NamedTuple):
    """One labelled conversation."""

    profile: dict
    conversation: dict
    needs_human: bool


def _epoch(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()


def _segment(profile: dict, customer_since_days: float) -> str:
    """A rule-based stand-in for the segmentation model's segments."""
    if customer_since_days < 90:
        return "new"
    if profile["order_count"] >= 2 and profile["days_since_last_order"] > 180:
        return "at_risk"
    if profile["tier"] in ("gold", "silver") or profile["order_count"] >= 6:
        return "high_value"
    if profile["tickets_last_90_days"] >= 2:
        return "frequent_support"
    return "standard"


def demo_profiles(crm_directory: Path = DEFAULT_CRM) -> List[dict]:
    """Escalation profiles of the demo customers (keys of `escalation.PROFILE_DEFAULTS`)."""
    crm = Path(crm_directory)
    orders: Dict[str, List[float]] = defaultdict(list)
    with open(crm / "orders.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            try:
                placed_at = _epoch(row["placed_at"].strip())
            except ValueError:
                continue  # the export's invalid rows
            orders[row["customer_id"].strip()].append(placed_at)
    refunds: Dict[str, int] = defaultdict(int)
    with open(crm / "refunds.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            refunds[row["customer_id"].strip()] += 1
    tickets = defaultdict(list)
    for ticket in read_tickets(crm):
        tickets[ticket.customer_id].append(ticket)
    created = {}
    with open(crm / "customers.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            try:
                created[row["customer_id"].strip()] = _epoch(row["created_at"].strip())
            except ValueError:
                continue
    as_of = max(max(times) for times in orders.values())
    profiles = []
    for customer_id, customer in sorted(read_customers(crm).items()):
        if customer_id not in created:
            continue
        placed = orders.get(customer_id, [])
        own = tickets.get(customer_id, [])
        ratings = [t.satisfaction for t in own if t.satisfaction is not None]
        recent = [t for t in own if _epoch(t.opened_at) > as_of - 90 * DAY_SECONDS]
        profile = {
            "customer_id": customer_id,
            "tier": customer.tier,
            "order_count": len(placed),
            "refund_count": refunds.get(customer_id, 0),
            "refund_rate": refunds.get(customer_id, 0) / len(placed) if placed else 0.0,
            "open_tickets": sum(t.status in OPEN_STATUSES for t in own),
            "tickets_last_90_days": len(recent),
            "days_since_last_order": int((as_of - max(placed)) // DAY_SECONDS) if placed else 365,
            "past_satisfaction": sum(ratings) / len(ratings) if ratings else None,
        }
        profile["segment"] = _segment(profile, (as_of - created[customer_id]) / DAY_SECONDS)
        profiles.append(profile)
    return profiles


def risk_logit(profile: dict, conversation: dict) -> float:
    """The noise-free log-odds that the conversation needs a human (the planted truth)."""
    intent = conversation["intent"]
    satisfaction = profile["past_satisfaction"]
    return (
        -3.2
        + 1.8 * (intent == "complaint")
        + 1.0 * (intent == "contact_customer_service")
        + 0.6 * (intent in MONEY_INTENTS)
        - 1.0 * (intent in CALM_INTENTS)
        + 0.8 * min(conversation["fallbacks"], 4)
        + 0.3 * min(conversation["clarifications"], 3)
        + 0.45 * min(conversation["negative_words"], 4)
        + 1.3 * conversation["service_error"]
        + SEGMENT_RISK.get(profile["segment"] or "", 0.0)
        + 0.5 * min(profile["open_tickets"], 3)
        + 0.15 * min(profile["tickets_last_90_days"], 5)
        + (0.9 if satisfaction is not None and satisfaction <= 2 else 0.0)
        + 0.4 * min(profile["refund_rate"], 1.0)
    )


def generate(profiles: List[dict], n: int = N_CONVERSATIONS, seed: int = SEED) -> List[Example]:
    """`n` labelled conversations of customers drawn from `profiles` (same seed, same data)."""
    rng = np.random.default_rng(seed)
    intents = list(INTENT_WEIGHTS)
    weights = np.array([INTENT_WEIGHTS[i] for i in intents], dtype=float)
    weights /= weights.sum()
    examples = []
    for _ in range(n):
        profile = dict(profiles[rng.integers(len(profiles))])
        if rng.random() < NO_SEGMENT_SHARE:
            profile["segment"] = None
        intent = intents[rng.choice(len(intents), p=weights)]
        complaint = intent == "complaint"
        turns = 1 + int(rng.poisson(2.5)) + 2 * complaint
        conversation = {
            "intent": intent,
            "turns": turns,
            "fallbacks": min(
                turns, int(rng.poisson(0.3 + 0.7 * complaint + 0.4 * (intent in MONEY_INTENTS)))
            ),
            "clarifications": min(turns, int(rng.poisson(0.4))),
            "negative_words": int(
                rng.poisson(0.2 + 1.5 * complaint + 0.5 * (profile["open_tickets"] > 0))
            ),
            "service_error": bool(rng.random() < SERVICE_ERROR_RATE),
        }
        logit = risk_logit(profile, conversation) + rng.normal(0, NOISE_SD)
        label = bool(rng.random() < 1 / (1 + math.exp(-logit)))
        examples.append(Example(profile, conversation, label))
    return examples


def demo_dataset(
    crm_directory: Path = DEFAULT_CRM, n: int = N_CONVERSATIONS, seed: int = SEED
) -> List[Example]:
    """The synthetic dataset built on the demo CRM export."""
    return generate(demo_profiles(crm_directory), n, seed)
