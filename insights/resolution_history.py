"""Which help article resolved each demo CRM ticket: a deterministic, documented simulation.

The demo CRM export records tickets but not the article that solved them, so this module writes
`data/crm/ticket_articles.csv` (ticket_id, article_id) for every resolved ticket. The ingest CLI
loads only the entity files it knows, so the extra file does not disturb `load-all data/crm`.

Generating process (what a recommender can learn, and what it cannot):

- Customers fall into cohorts by country and tier group (bronze vs. silver/gold), the kind of
  split where shops see different habits: local payment methods, carriers and languages.
- Each (cohort, ticket category) pair has one preferred article, drawn once per cohort from the
  category's articles. With probability `P_COHORT` a ticket is resolved by that article.
- Otherwise, with probability `P_SUBJECT`, by one of the articles plausible for the ticket's subject
  (`SUBJECT_ARTICLES`, several per subject, so the subject text alone does not decide), and
  otherwise by any article of the category (noise).

Run `python -m insights.resolution_history` to regenerate the file; the same inputs and seed
always give the same output.
"""

import argparse
import csv
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence

from customer_data.models import TICKET_CATEGORIES
from insights.articles import DEFAULT_DIRECTORY as ARTICLES_DIRECTORY
from insights.articles import Article, load_articles

DEFAULT_CRM = Path("data/crm")
RESOLUTIONS_FILE = "ticket_articles.csv"
COLUMNS = ("ticket_id", "article_id")
SEED = 20240611
P_COHORT = 0.55
P_SUBJECT = 0.30
RESOLVED = "resolved"
MEMBER_TIERS = frozenset({"silver", "gold", "platinum"})
ORDER_NUMBER = re.compile(r"ORD-\d+")
TIMESTAMP = re.compile(r"\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")
# Articles that plausibly answer each ticket subject of the demo generator (order numbers masked).
SUBJECT_ARTICLES = {
    "Can I still cancel {order}?": ("KB-ORD-002", "KB-ORD-003", "KB-ORD-005"),
    "Wrong size in {order}": ("KB-ORD-007", "KB-ORD-004", "KB-REF-003"),
    "Add an item to {order}": ("KB-ORD-004", "KB-ORD-001"),
    "Where is my parcel ({order})?": ("KB-ORD-006", "KB-DEL-003", "KB-DEL-002"),
    "Delivery of {order} is late": ("KB-DEL-003", "KB-DEL-002"),
    "Parcel marked delivered but not received": ("KB-DEL-004", "KB-DEL-003"),
    "Refund for {order} not received yet": ("KB-REF-004", "KB-REF-005"),
    "Return label for {order}": ("KB-REF-003", "KB-REF-002"),
    "How long does a refund take?": ("KB-REF-005", "KB-REF-001", "KB-REF-004"),
    "Payment declined at checkout": ("KB-PAY-002", "KB-PAY-007", "KB-PAY-004"),
    "Charged twice for {order}": ("KB-PAY-003", "KB-PAY-002"),
    "Which payment methods do you accept?": ("KB-PAY-001", "KB-PAY-004", "KB-PAY-007"),
    "Invoice with VAT number for {order}": ("KB-INV-002", "KB-INV-001"),
    "Invoice address is wrong": ("KB-INV-003", "KB-INV-002"),
    "Copy of my invoice please": ("KB-INV-001", "KB-INV-004"),
    "Cannot log in": ("KB-ACC-003", "KB-ACC-002"),
    "Change my e-mail address": ("KB-ACC-004", "KB-ACC-006"),
    "Please delete my account": ("KB-ACC-005",),
    "Question about my account": ("KB-ACC-004", "KB-ACC-006", "KB-ORD-006"),
    "Opening hours of customer service": ("KB-CON-001", "KB-CON-003"),
    "Phone number for support": ("KB-CON-003", "KB-CON-001"),
    "Speak to a person": ("KB-CON-002",),
    "Great service, thank you": ("KB-FDB-001",),
    "Website is slow on mobile": ("KB-FDB-003",),
    "Suggestion for the app": ("KB-FDB-003", "KB-FDB-001"),
}


@dataclass(frozen=True)
class TicketRecord:
    """The ticket fields the insights models use."""

    ticket_id: str
    customer_id: str
    category: str
    subject: str
    status: str
    opened_at: str  # ISO 8601 UTC, "2025-04-22T00:53:35Z"; sorts chronologically as text
    satisfaction: Optional[int] = None


@dataclass(frozen=True)
class CustomerRecord:
    """The customer attributes cohorts and the collaborative signal are built from."""

    customer_id: str
    country: str
    tier: str


@dataclass
class History:
    """Plain inputs to the recommender: tickets, customers and ticket -> resolving article."""

    tickets: Sequence[TicketRecord]
    customers: Mapping[str, CustomerRecord] = field(default_factory=dict)
    resolutions: Mapping[str, str] = field(default_factory=dict)


def subject_template(subject: str) -> str:
    """The demo generator's template of `subject` (order numbers replaced by `{order}`)."""
    return ORDER_NUMBER.sub("{order}", subject.strip())


def cohort_of(customer: Optional[CustomerRecord]) -> str:
    """The cohort key of a customer: country and tier group; unknown customers share one."""
    if customer is None:
        return "unknown"
    group = "member" if customer.tier in MEMBER_TIERS else "bronze"
    return f"{customer.country}/{group}"


def read_tickets(crm_directory: Path = DEFAULT_CRM) -> List[TicketRecord]:
    """Tickets of `tickets.csv` with a known category and a well-formed opening time."""
    tickets = []
    with open(Path(crm_directory) / "tickets.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            category = (row.get("category") or "").strip().lower()
            opened = (row.get("opened_at") or "").strip()
            if category not in TICKET_CATEGORIES or not TIMESTAMP.match(opened):
                continue  # the export's deliberately invalid rows; ingest quarantines them too
            rating = (row.get("satisfaction") or "").strip()
            tickets.append(
                TicketRecord(
                    ticket_id=row["ticket_id"].strip(),
                    customer_id=row["customer_id"].strip(),
                    category=category,
                    subject=(row.get("subject") or "").strip(),
                    status=(row.get("status") or "").strip().lower(),
                    opened_at=opened,
                    satisfaction=int(rating) if rating.isdigit() else None,
                )
            )
    return tickets


def read_customers(crm_directory: Path = DEFAULT_CRM) -> Dict[str, CustomerRecord]:
    """Customers of `customers.csv` by id, country and tier normalised."""
    customers = {}
    with open(Path(crm_directory) / "customers.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            customer_id = row["customer_id"].strip()
            customers[customer_id] = CustomerRecord(
                customer_id=customer_id,
                country=(row.get("country") or "").strip().upper() or "??",
                tier=(row.get("tier") or "").strip().lower() or "bronze",
            )
    return customers


def read_resolutions(path: Path) -> Dict[str, str]:
    """ticket_id -> article_id from a resolutions CSV."""
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["ticket_id"]: row["article_id"] for row in csv.DictReader(handle)}


def load_history(crm_directory: Path = DEFAULT_CRM, resolutions: Optional[Path] = None) -> History:
    """Tickets, customers and resolutions of a CRM export directory."""
    path = resolutions or Path(crm_directory) / RESOLUTIONS_FILE
    return History(
        read_tickets(crm_directory), read_customers(crm_directory), read_resolutions(path)
    )


def simulate_resolutions(
    tickets: Sequence[TicketRecord],
    customers: Mapping[str, CustomerRecord],
    articles: Sequence[Article],
    seed: int = SEED,
) -> Dict[str, str]:
    """ticket_id -> resolving article for every resolved ticket (see the module docstring)."""
    by_category = defaultdict(list)
    for article in articles:
        by_category[article.category].append(article.id)
    known = {article.id for article in articles}
    rng = random.Random(seed)  # noqa: S311 - a reproducible simulation, not a secret
    preferred: Dict[tuple, str] = {}
    resolutions = {}
    for ticket in tickets:
        candidates = by_category.get(ticket.category)
        if ticket.status != RESOLVED or not candidates:
            continue
        cohort = cohort_of(customers.get(ticket.customer_id))
        key = (cohort, ticket.category)
        if key not in preferred:
            # Seeded by the key, so a cohort's preference doesn't depend on ticket order.
            cohort_rng = random.Random(f"{seed}:{cohort}:{ticket.category}")  # noqa: S311
            preferred[key] = cohort_rng.choice(candidates)
        plausible = [
            article_id
            for article_id in SUBJECT_ARTICLES.get(subject_template(ticket.subject), ())
            if article_id in known
        ] or candidates
        draw = rng.random()
        if draw < P_COHORT:
            resolutions[ticket.ticket_id] = preferred[key]
        elif draw < P_COHORT + P_SUBJECT:
            resolutions[ticket.ticket_id] = rng.choice(plausible)
        else:
            resolutions[ticket.ticket_id] = rng.choice(candidates)
    return resolutions


def write_resolutions(path: Path, resolutions: Mapping[str, str]) -> None:
    """Writes ticket_id, article_id rows sorted by ticket id."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(sorted(resolutions.items()))


def main(argv: Optional[Sequence[str]] = None) -> int:
    """CLI: regenerate the ticket -> article resolutions of a CRM export."""
    parser = argparse.ArgumentParser(prog="python -m insights.resolution_history")
    parser.add_argument("--crm", type=Path, default=DEFAULT_CRM, help="CRM export directory")
    parser.add_argument("--articles", type=Path, default=ARTICLES_DIRECTORY)
    parser.add_argument("--out", type=Path, help=f"default <crm>/{RESOLUTIONS_FILE}")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    resolutions = simulate_resolutions(
        read_tickets(args.crm), read_customers(args.crm), load_articles(args.articles), args.seed
    )
    out = args.out or args.crm / RESOLUTIONS_FILE
    write_resolutions(out, resolutions)
    print(f"wrote {len(resolutions)} resolutions to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
