"""Support tickets, consents, channel identities and a few assistant interactions per customer."""

import random
from itertools import accumulate
from typing import List, Optional

from customer_data import models
from customer_data.demo_data.clock import DAY, HOUR, MINUTE, timestamp

CATEGORY_WEIGHTS = (22, 22, 14, 10, 7, 12, 5, 8)  # in the order of models.TICKET_CATEGORIES
CHANNEL_WEIGHTS = (30, 8, 30, 12, 20)  # web, slack, email, phone, chat
SATISFACTION_WEIGHTS = (5, 8, 15, 32, 40)  # 1..5
CATEGORY_CUMULATIVE = tuple(accumulate(CATEGORY_WEIGHTS))
CHANNEL_CUMULATIVE = tuple(accumulate(CHANNEL_WEIGHTS))
SATISFACTION_CUMULATIVE = tuple(accumulate(SATISFACTION_WEIGHTS))
SUBJECTS = {
    "orders": ("Can I still cancel {order}?", "Wrong size in {order}", "Add an item to {order}"),
    "delivery": (
        "Where is my parcel ({order})?",
        "Delivery of {order} is late",
        "Parcel marked delivered but not received",
    ),
    "refunds": (
        "Refund for {order} not received yet",
        "Return label for {order}",
        "How long does a refund take?",
    ),
    "payments": (
        "Payment declined at checkout",
        "Charged twice for {order}",
        "Which payment methods do you accept?",
    ),
    "invoices": (
        "Invoice with VAT number for {order}",
        "Invoice address is wrong",
        "Copy of my invoice please",
    ),
    "account": ("Cannot log in", "Change my e-mail address", "Please delete my account"),
    "contact": (
        "Opening hours of customer service",
        "Phone number for support",
        "Speak to a person",
    ),
    "feedback": ("Great service, thank you", "Website is slow on mobile", "Suggestion for the app"),
}
CONSENT_CHANCES = {
    "marketing_email": 0.4,
    "newsletter": 0.3,
    "personalization": 0.7,
    "analytics": 0.6,
}
CONSENT_SOURCES = ("web", "checkout", "crm", "chat")
INTERACTION_INTENTS = (
    "order_status",
    "cancel_order",
    "request_refund",
    "delivery_time",
    "invoice_copy",
    "change_address",
    "greet",
)
SLACK_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SLACK_SPACE = 36**7
WEB_ID_SPACE = 16**10
# Bijections of the customer number onto the id spaces (odd / coprime to 36), so ids look random.
WEB_ID_FACTOR = 0x9E3779B97F4A7C15
SLACK_FACTOR = 1_000_000_007


class SupportFactory:
    """Tickets and the smaller per-customer records, numbered sequentially."""

    def __init__(self, rng: random.Random, as_of: int) -> None:
        """Draws from `rng`; nothing happens after `as_of` (epoch seconds)."""
        self.rng = rng
        self.as_of = as_of
        self.next_ticket = 1000001

    def ticket(self, customer_id: str, opened: int, order_id: Optional[str]) -> list:
        """A ticket opened at `opened`, about `order_id` when the subject needs one."""
        rng = self.rng
        category = rng.choices(models.TICKET_CATEGORIES, cum_weights=CATEGORY_CUMULATIVE)[0]
        channel = rng.choices(models.TICKET_CHANNELS, cum_weights=CHANNEL_CUMULATIVE)[0]
        templates = SUBJECTS[category]
        if order_id is None:
            templates = tuple(text for text in templates if "{order}" not in text) or (
                "Question about my account",
            )
        subject = rng.choice(templates).format(order=order_id)
        # Most tickets close within hours; a long tail takes weeks.
        resolved = opened + int(min(rng.lognormvariate(9.5, 1.3), 40 * DAY)) + 5 * MINUTE
        status, resolved_text, satisfaction = "resolved", timestamp(resolved), ""
        if resolved > self.as_of:
            status = "open" if rng.random() < 0.6 else "pending"
            resolved_text = ""
        elif rng.random() < 0.6:
            satisfaction = str(rng.choices(range(1, 6), cum_weights=SATISFACTION_CUMULATIVE)[0])
        ticket_id = f"T-{self.next_ticket:07d}"
        self.next_ticket += 1
        return [
            ticket_id,
            customer_id,
            category,
            channel,
            subject,
            status,
            timestamp(opened),
            resolved_text,
            satisfaction,
        ]

    def consents(self, customer_id: str, created: int) -> List[list]:
        """Consent decisions for some purposes, made at sign-up or later."""
        rng = self.rng
        rows = []
        for purpose in models.CONSENT_PURPOSES:
            if rng.random() < 0.25:
                continue  # never asked for this purpose
            granted = "true" if rng.random() < CONSENT_CHANCES[purpose] else "false"
            at = created + rng.randint(0, HOUR)
            if rng.random() < 0.2:
                at = rng.randint(at, max(at, self.as_of - DAY))
            rows.append([customer_id, purpose, granted, timestamp(at), rng.choice(CONSENT_SOURCES)])
        return rows

    def identities(self, customer_id: str, number: int, created: int) -> List[list]:
        """A web account id for most customers, a Slack user id for about one in ten."""
        rng = self.rng
        rows = []
        if rng.random() < 0.85:
            web_id = (number * WEB_ID_FACTOR + 0x5EED) % WEB_ID_SPACE
            rows.append([customer_id, "web", f"web-{web_id:010x}", timestamp(created)])
        if rng.random() < 0.1:
            slack = (number * SLACK_FACTOR + 4242) % SLACK_SPACE
            digits = []
            for _ in range(7):
                slack, remainder = divmod(slack, 36)
                digits.append(SLACK_ALPHABET[remainder])
            linked = rng.randint(created, max(created, self.as_of - HOUR))
            rows.append([customer_id, "slack", "U0" + "".join(digits), timestamp(linked)])
        return rows

    def interactions(self, customer_id: str, created: int) -> List[list]:
        """One to three recent conversations with the assistant."""
        rng = self.rng
        start = max(created, self.as_of - 90 * DAY)
        moments = sorted(rng.randint(start, self.as_of) for _ in range(rng.randint(1, 3)))
        return [
            [
                customer_id,
                rng.choice(models.TICKET_CHANNELS),
                rng.choice(INTERACTION_INTENTS),
                timestamp(at),
            ]
            for at in dict.fromkeys(moments)
        ]
