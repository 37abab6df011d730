"""The committed demo export through the real command line into a migrated SQLite file."""

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from customer_data import models
from customer_data.db import build_engine
from customer_data.demo_data.generator import DEFAULT_AS_OF, generate
from customer_data.ingest import formats
from customer_data.ingest.load_all import load_demo
from customer_data.migrate import upgrade

ROOT = Path(__file__).resolve().parents[4]
DEMO_EXPORT = ROOT / "data" / "crm"
SUMMARY = re.compile(
    r"^(?P<entity>\w+) \(.*\): read (?P<read>[\d,]+), loaded (?P<loaded>[\d,]+), "
    r"updated (?P<updated>[\d,]+), unchanged (?P<unchanged>[\d,]+), merged (?P<merged>[\d,]+), "
    r"quarantined (?P<quarantined>[\d,]+), merge candidates (?P<candidates>[\d,]+)"
)
TABLES = [
    models.Base.metadata.tables[name]
    for name in (
        "customers",
        "identities",
        "consents",
        "orders",
        "order_items",
        "order_status_events",
        "invoices",
        "payments",
        "refunds",
        "tickets",
        "interactions",
        "merge_candidates",
    )
]


def run_load_all(database_url: str, directory: Path, quarantine: Path) -> dict:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "customer_data.ingest",
            "load-all",
            str(directory),
            "--database-url",
            database_url,
            "--quarantine-dir",
            str(quarantine),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    summaries = {}
    for line in completed.stdout.splitlines():
        match = SUMMARY.match(line)
        if match:
            summaries[match["entity"]] = {
                key: int(value.replace(",", ""))
                for key, value in match.groupdict().items()
                if key != "entity"
            }
    return summaries


def table_counts(database_url: str) -> dict:
    engine = build_engine(database_url)
    try:
        with engine.connect() as connection:
            return {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in TABLES
            }
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo-load")
    database_url = f"sqlite:///{directory}/customer_data.db"
    upgrade(database_url)
    first = run_load_all(database_url, DEMO_EXPORT, directory / "quarantine")
    return database_url, directory, first


def test_every_file_is_loaded_with_its_planted_defects_quarantined(loaded):
    database_url, directory, first = loaded
    assert list(first) == list(formats.LOAD_ORDER)
    for entity, summary in first.items():
        assert summary["read"] == sum(
            summary[key] for key in ("loaded", "updated", "unchanged", "merged", "quarantined")
        ), entity
        assert summary["loaded"] > 0, entity
    assert first["customers"]["merged"] >= 10
    assert first["customers"]["candidates"] >= 5
    counts = table_counts(database_url)
    for entity in formats.LOAD_ORDER:
        if entity != formats.IDENTITIES:
            assert counts[entity] == first[entity]["loaded"], entity
    # Identity resolution adds a crm identity per merged record (and e-mails / phones).
    assert counts["identities"] >= first["identities"]["loaded"] + first["customers"]["merged"]
    reasons = " ".join(
        path.read_text(encoding="utf-8") for path in (directory / "quarantine").glob("*.csv")
    )
    for planted in (
        "email: not a valid e-mail address",
        "created_at: impossible date or time",
        "phone: '12-34' does not have",
        "tier: unknown value 'platinum'",
        "total_amount: amount is negative",
        "customer_id: unknown customer C9",
        "delivered_at: before placed_at",
        "placed_at: impossible date or time '2026-02-29T10:00:00Z'",
        "quantity: 0 is outside 1-1000",
        "currency: unsupported currency 'EURO'",
        "amount: amount is negative",
        "resolved_at: before opened_at",
        "resolved_at: more than 365 days after opened_at",
        "category: unknown value 'complaint'",
    ):
        assert planted in reasons, planted


def test_the_database_holds_every_status_and_category(loaded):
    database_url, _, _ = loaded
    engine = build_engine(database_url)
    orders, tickets = models.Order.__table__, models.Ticket.__table__
    try:
        with engine.connect() as connection:
            statuses = set(connection.execute(select(orders.c.status).distinct()).scalars())
            categories = set(connection.execute(select(tickets.c.category).distinct()).scalars())
            crm_links = connection.execute(
                select(func.count())
                .select_from(models.Identity.__table__)
                .where(models.Identity.__table__.c.channel == "crm")
            ).scalar_one()
    finally:
        engine.dispose()
    assert statuses == set(models.ORDER_STATUSES)
    assert categories == set(models.TICKET_CATEGORIES)
    assert crm_links >= 10


def test_loading_the_same_export_again_changes_nothing(loaded):
    database_url, directory, _ = loaded
    before = table_counts(database_url)
    again = run_load_all(database_url, DEMO_EXPORT, directory / "quarantine-again")
    for entity, summary in again.items():
        assert (summary["loaded"], summary["updated"], summary["merged"]) == (0, 0, 0), entity
        assert summary["candidates"] == 0
    assert table_counts(database_url) == before


def test_load_demo_loads_a_json_lines_export(tmp_path, monkeypatch):
    export = tmp_path / "crm"
    generate(export, 200, seed=3, as_of=date.fromisoformat(DEFAULT_AS_OF), file_format="jsonl")
    database_url = f"sqlite:///{tmp_path}/jsonl.db"
    upgrade(database_url)
    monkeypatch.chdir(tmp_path)  # quarantine files go to ./var/quarantine
    summaries = load_demo(database_url, export)
    assert [summary.entity for summary in summaries] == list(formats.LOAD_ORDER)
    assert all(summary.path.suffix == ".jsonl" for summary in summaries)
    assert table_counts(database_url)["orders"] == summaries[3].loaded
    assert (tmp_path / "var" / "quarantine" / "orders.quarantine.jsonl").exists()
