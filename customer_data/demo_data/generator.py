"""The demo CRM export, one customer at a time: a deterministic, streaming generator.

Everything comes from one `random.Random(seed)` and a fixed reference date, so the same
arguments give byte-identical files; each customer's rows are yielded as soon as they exist,
so a million customers need no more memory than one.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

from customer_data.demo_data import defects
from customer_data.demo_data.clock import DAY, HOUR, MINUTE, epoch_seconds, timestamp
from customer_data.demo_data.orders import OrderFactory
from customer_data.demo_data.people import PeopleFactory, Phone
from customer_data.demo_data.randomness import DemoRandom
from customer_data.demo_data.support import SupportFactory
from customer_data.demo_data.world import Country
from customer_data.demo_data.writers import CSV, ExportWriter
from customer_data.ingest import formats

Rows = Dict[str, List[list]]
DEFAULT_AS_OF = "2026-11-01"  # the demo export's date: data/crm stays byte-identical
NEW_CUSTOMER_WINDOW = 60 * DAY
HISTORY_SPAN = 5 * 365 * DAY
DORMANT_AFTER = 366 * DAY
GOLD_EURO_CENTS = 120_000
SILVER_EURO_CENTS = 35_000
DUPLICATE_EVERY, DUPLICATE_OFFSET = 211, 17  # a second CRM record of the same person
NEAR_DUPLICATE_EVERY, NEAR_DUPLICATE_OFFSET = 307, 41  # a similar name at the same address
TIER_COLUMN = formats.FILE_COLUMNS[formats.CUSTOMERS].index("tier")


@dataclass
class Person:
    """The facts about one customer record that related records reuse."""

    customer_id: str
    number: int
    first: str
    last: str
    country: Country
    email: str
    phone: Optional[Phone]
    address: str
    created: int
    row: list


class DemoGenerator:
    """Yields the rows of each customer (and of the duplicate records planted next to them)."""

    def __init__(self, seed: int, as_of: date, with_defects: bool = True) -> None:
        """Generates from `seed`; `as_of` is the export date (nothing happens after it)."""
        self.rng = DemoRandom(seed)
        self.as_of = epoch_seconds(as_of)
        self.with_defects = with_defects
        self.defects = defects.DefectPlanter()
        self.people = PeopleFactory(self.rng)
        self.orders = OrderFactory(self.rng, self.as_of)
        self.support = SupportFactory(self.rng, self.as_of)
        self.next_customer = 1

    def bundles(self, customers: int) -> Iterator[Rows]:
        """For each of `customers` people: the rows of every export file that concern them."""
        for index in range(customers):
            rows: Rows = {entity: [] for entity in formats.LOAD_ORDER}
            person = self._customer(rows)
            if index % DUPLICATE_EVERY == DUPLICATE_OFFSET:
                self._duplicate_record(rows, person, by_email=(index // DUPLICATE_EVERY) % 2 == 0)
            if index % NEAR_DUPLICATE_EVERY == NEAR_DUPLICATE_OFFSET:
                first, last = self.people.name_variant(person.first, person.last)
                self._customer(rows, person.country, (first, last), person.address)
            if self.with_defects:
                if defects.customer_defect_due(index):
                    self._customer(rows, bare=True)
                defects.roughen(self.rng, rows)
                self.defects.plant(self.rng, index, rows)
            yield rows

    def _customer(
        self,
        rows: Rows,
        country: Optional[Country] = None,
        name: Optional[Tuple[str, str]] = None,
        address: Optional[str] = None,
        bare: bool = False,
    ) -> Person:
        """A customer record with everything that depends on it (`bare`: the record alone)."""
        rng, people = self.rng, self.people
        number = self._take_number()
        country = country or people.country()
        first, last = name or people.name(country)
        phone = people.phone(country) if rng.random() < 0.88 else None
        created, end = self._lifetime()
        person = Person(
            f"C{number:07d}",
            number,
            first,
            last,
            country,
            people.email(first, last, number),
            phone,
            address or people.address(country),
            created,
            [],
        )
        person.row = [
            person.customer_id,
            f"{first} {last}",
            person.email,
            people.phone_text(phone) if phone else "",
            country.code,
            person.address,
            "bronze",
            timestamp(created),
        ]
        rows[formats.CUSTOMERS].append(person.row)
        if bare:
            return person
        placed_orders = self._orders(rows, person, end)
        self._tickets(rows, person, placed_orders)
        if rng.random() < 0.75:
            rows[formats.CONSENTS].extend(self.support.consents(person.customer_id, created))
        rows[formats.IDENTITIES].extend(
            self.support.identities(person.customer_id, number, created)
        )
        if end == self.as_of and rng.random() < 0.04:
            rows[formats.INTERACTIONS].extend(
                self.support.interactions(person.customer_id, created)
            )
        return person

    def _take_number(self) -> int:
        number = self.next_customer
        self.next_customer += 1
        return number

    def _lifetime(self) -> Tuple[int, int]:
        """(created, last possible order time): new, regular or dormant customers."""
        rng, as_of = self.rng, self.as_of
        if rng.random() < 0.08:
            return as_of - rng.randint(HOUR, NEW_CUSTOMER_WINDOW), as_of
        created = as_of - rng.randint(NEW_CUSTOMER_WINDOW, HISTORY_SPAN)
        if created < as_of - DORMANT_AFTER - 34 * DAY and rng.random() < 0.2:
            room = min(400 * DAY, as_of - DORMANT_AFTER - created - DAY)
            return created, as_of - DORMANT_AFTER - rng.randint(0, room)
        return created, as_of

    def _orders(self, rows: Rows, person: Person, end: int) -> List[Tuple[str, int]]:
        rng = self.rng
        if person.created > self.as_of - NEW_CUSTOMER_WINDOW:
            count = rng.choice((0, 1, 1, 2))
        elif rng.random() < 0.07:
            count = 0
        else:
            count = min(40, int(rng.paretovariate(1.4)))
        start = person.created + 10 * MINUTE
        moments = sorted(rng.randint(start, max(start, end)) for _ in range(count))
        if moments and end == self.as_of and rng.random() < 0.2:
            # A recent buyer: the latest order is days or hours old (open orders to talk about).
            moments[-1] = max(start, self.as_of - int(10 * DAY * rng.random() ** 2) - MINUTE)
        placed_orders, spent = [], 0
        currency = person.country.currency
        for placed in moments:
            address = person.address if rng.random() < 0.9 else self.people.address(person.country)
            order_id, euro_cents = self.orders.order(
                person.customer_id, person.country.code, currency, address, placed, rows
            )
            placed_orders.append((order_id, placed))
            spent += euro_cents
        if spent >= GOLD_EURO_CENTS:
            person.row[TIER_COLUMN] = "gold"
        elif spent >= SILVER_EURO_CENTS:
            person.row[TIER_COLUMN] = "silver"
        return placed_orders

    def _tickets(self, rows: Rows, person: Person, placed_orders: List[Tuple[str, int]]) -> None:
        rng = self.rng
        if rng.random() < 0.06:
            count = rng.randint(4, 9)  # a frequent support seeker
        else:
            count = rng.choices((0, 1, 2), cum_weights=(65, 90, 100))[0]
        for _ in range(count):
            if placed_orders and rng.random() < 0.7:
                order_id, placed = rng.choice(placed_orders)
                opened = min(placed + rng.randint(HOUR, 20 * DAY), self.as_of - MINUTE)
            else:
                order_id = None
                opened = rng.randint(person.created, self.as_of - MINUTE)
            rows[formats.TICKETS].append(self.support.ticket(person.customer_id, opened, order_id))

    def _duplicate_record(self, rows: Rows, person: Person, by_email: bool) -> None:
        """A second CRM record of `person` (legacy system): same e-mail, or same phone."""
        rng, people = self.rng, self.people
        number = self._take_number()
        customer_id = f"C{number:07d}"
        if by_email or person.phone is None:
            email = f" {person.email.upper()} "
            phone = people.phone_text(person.phone) if person.phone and rng.random() < 0.5 else ""
        else:
            email = people.email(person.first, person.last, number, domain="example.net")
            phone = people.phone_text(person.phone, international=True)
        created = rng.randint(min(person.created, self.as_of - DAY), self.as_of - DAY)
        rows[formats.CUSTOMERS].append(
            [
                customer_id,
                f"{person.first} {person.last}",
                email,
                phone,
                person.country.code,
                person.address,
                "bronze",
                timestamp(created),
            ]
        )
        if rng.random() < 0.5:
            self.orders.order(
                customer_id,
                person.country.code,
                person.country.currency,
                person.address,
                rng.randint(created, self.as_of - HOUR),
                rows,
            )


def generate(
    out: Path,
    customers: int,
    seed: int,
    as_of: date,
    file_format: str = CSV,
    with_defects: bool = True,
) -> ExportWriter:
    """Writes the export for `customers` people into `out`; returns the (closed) writer."""
    generator = DemoGenerator(seed, as_of, with_defects)
    with ExportWriter(out, file_format) as writer:
        for rows in generator.bundles(customers):
            writer.write(rows)
    return writer
