"""The demo CRM export generator (customer_data.demo_data) and the committed export in data/crm."""

import csv
import json
import random
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from customer_data import models
from customer_data.demo_data.generator import DEFAULT_AS_OF, generate
from customer_data.demo_data.people import PeopleFactory
from customer_data.demo_data.world import COUNTRIES
from customer_data.ingest import formats
from customer_data.ingest.normalize import FieldError, parse_timestamp
from customer_data.ingest.phones import to_e164

DEMO_EXPORT = Path(__file__).resolve().parents[4] / "data" / "crm"
AS_OF = date.fromisoformat(DEFAULT_AS_OF)
MAX_DEMO_BYTES = 5 * 1024 * 1024


def read(directory: Path, entity: str):
    with open(directory / f"{entity}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def utc(text: str):
    """The timestamp as naive UTC, or None for the deliberately broken ones."""
    try:
        return parse_timestamp(text)
    except FieldError:
        return None


@pytest.fixture(scope="module")
def demo():
    return {entity: read(DEMO_EXPORT, entity) for entity in formats.LOAD_ORDER}


def test_same_seed_gives_identical_files_and_another_seed_does_not(tmp_path):
    generate(tmp_path / "a", 300, seed=11, as_of=AS_OF)
    generate(tmp_path / "b", 300, seed=11, as_of=AS_OF)
    generate(tmp_path / "c", 300, seed=12, as_of=AS_OF)
    for entity in formats.LOAD_ORDER:
        first = (tmp_path / "a" / f"{entity}.csv").read_bytes()
        assert first == (tmp_path / "b" / f"{entity}.csv").read_bytes(), entity
    assert (tmp_path / "a" / "orders.csv").read_bytes() != (
        tmp_path / "c" / "orders.csv"
    ).read_bytes()


def test_the_committed_export_is_what_the_generator_writes(tmp_path):
    writer = generate(tmp_path, 3000, seed=7, as_of=AS_OF)
    for entity in formats.LOAD_ORDER:
        assert (
            writer.path(entity).read_bytes() == (DEMO_EXPORT / f"{entity}.csv").read_bytes()
        ), f"data/crm/{entity}.csv is stale: python -m customer_data.demo_data --out data/crm"


def test_the_committed_export_is_small_and_holds_only_csv_files():
    files = list(DEMO_EXPORT.iterdir())
    assert {path.suffix for path in files} == {".csv"}  # data/ is also Rasa's training data
    assert sum(path.stat().st_size for path in files) < MAX_DEMO_BYTES


def test_every_file_has_the_export_header(demo):
    for entity in formats.LOAD_ORDER:
        assert list(demo[entity][0]) == list(formats.FILE_COLUMNS[entity])


def test_every_vocabulary_value_occurs(demo):
    def values(entity, column):
        return {row[column].strip().lower() for row in demo[entity]}

    assert values("orders", "status") >= set(models.ORDER_STATUSES)
    assert values("tickets", "category") >= set(models.TICKET_CATEGORIES)
    assert values("tickets", "channel") >= set(models.TICKET_CHANNELS)
    assert values("tickets", "status") >= set(models.TICKET_STATUSES)
    assert values("customers", "tier") >= set(models.TIERS)
    assert values("consents", "purpose") == set(models.CONSENT_PURPOSES)
    assert values("refunds", "status") == set(models.REFUND_STATUSES)
    assert values("payments", "status") == set(models.PAYMENT_STATUSES)
    assert values("payments", "method") == set(models.PAYMENT_METHODS)
    assert values("invoices", "status") == {"issued", "paid", "void"}
    assert values("identities", "channel") == {"web", "slack"}
    assert values("customers", "country") == {country.code.lower() for country in COUNTRIES}


def test_the_shop_has_the_customers_the_assistant_must_handle(demo):
    as_of = datetime(AS_OF.year, AS_OF.month, AS_OF.day)
    last_order = {}
    for order in demo["orders"]:
        placed = utc(order["placed_at"])
        if placed and placed < as_of:
            last_order[order["customer_id"]] = max(
                placed, last_order.get(order["customer_id"], placed)
            )
    created = {row["customer_id"]: row["created_at"] for row in demo["customers"]}
    orders_per_customer = Counter(order["customer_id"] for order in demo["orders"])
    tickets_per_customer = Counter(ticket["customer_id"] for ticket in demo["tickets"])
    new = [cid for cid, at in created.items() if utc(at) and utc(at) > as_of - timedelta(days=60)]
    dormant = [cid for cid, at in last_order.items() if at < as_of - timedelta(days=365)]
    assert len(new) > 100
    assert len(dormant) > 200
    assert sum(count >= 5 for count in orders_per_customer.values()) > 100  # repeat buyers
    assert sum(count >= 4 for count in tickets_per_customer.values()) > 50  # support seekers
    failed_recently = [
        payment
        for payment in demo["payments"]
        if payment["status"] == "failed" and utc(payment["at"]) > as_of - timedelta(days=30)
    ]
    assert len(failed_recently) >= 10
    slack = [row for row in demo["identities"] if row["channel"] == "slack"]
    assert 0.07 < len(slack) / len(demo["customers"]) < 0.13
    assert all(
        row["external_id"].startswith("U0") and len(row["external_id"]) == 9 for row in slack
    )


def test_emails_are_on_example_domains_and_unique_except_planted_duplicates(demo):
    emails = [row["email"].strip().lower() for row in demo["customers"]]
    assert all(
        email.split("@")[-1] in {"example.com", "example.org", "example.net"} for email in emails
    )
    duplicates = [email for email, count in Counter(emails).items() if count > 1]
    assert 3 <= len(duplicates) <= 20


def test_spend_is_skewed(demo):
    totals = sorted(
        float(order["total_amount"])
        for order in demo["orders"]
        if order["currency"] == "EUR" and not order["total_amount"].startswith("-")
    )
    median, top = totals[len(totals) // 2], totals[int(len(totals) * 0.99)]
    assert top > 3 * median


def test_orders_are_consistent_with_their_history(demo):
    for order in demo["orders"][:2000]:
        if not order["status_history"]:
            continue  # a planted defect
        history = [entry.split("@") for entry in order["status_history"].split("|")]
        assert history[-1][0] == order["status"].lower() or order["customer_id"].startswith("C9")
        assert [at for _, at in history] == sorted(at for _, at in history)
        if order["status"] == "delivered":
            assert order["delivered_at"]


@pytest.mark.parametrize("country", COUNTRIES, ids=lambda country: country.code)
def test_every_written_phone_notation_reads_back_as_the_same_number(country):
    people = PeopleFactory(random.Random(3))  # noqa: S311
    for _ in range(50):
        phone = people.phone(country)
        expected = f"+{country.calling_code}{phone.nsn}"
        for international in (False, True, None):
            assert to_e164(people.phone_text(phone, international), country.code) == expected


def test_json_lines_hold_the_same_rows_as_csv(tmp_path):
    csv_writer = generate(tmp_path / "csv", 100, seed=5, as_of=AS_OF)
    jsonl_writer = generate(tmp_path / "jsonl", 100, seed=5, as_of=AS_OF, file_format="jsonl")
    for entity in formats.LOAD_ORDER:
        from_csv = read(tmp_path / "csv", entity)
        with open(jsonl_writer.path(entity), encoding="utf-8") as handle:
            from_jsonl = [json.loads(line) for line in handle]
        assert [{key: value or "" for key, value in row.items()} for row in from_jsonl] == from_csv
        assert csv_writer.counts[entity] == jsonl_writer.counts[entity] == len(from_csv)
