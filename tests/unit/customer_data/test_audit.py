import time
from datetime import datetime

import pytest
from sqlalchemy import func, select

from customer_data import audit
from customer_data.audit import AuditLog, record_change
from customer_data.db import build_engine, build_session_factory, create_schema, unit_of_work
from customer_data.models import AuditEntry

AT = datetime(2024, 6, 15, 12, 0, 0)


@pytest.fixture
def database(tmp_path):
    engine = build_engine(f"sqlite:///{tmp_path}/audit.sqlite")
    create_schema(engine)
    yield engine, build_session_factory(engine)
    engine.dispose()


@pytest.fixture
def session_factory(database):
    return database[1]


def rows(session_factory):
    with unit_of_work(session_factory) as session:
        return session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars().all()


def wait_for_rows(session_factory, expected: int, timeout: float = 5.0) -> int:
    """Polls until `expected` rows exist or the timeout passes; returns the last count."""
    deadline = time.monotonic() + timeout
    while True:
        with unit_of_work(session_factory) as session:
            found = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
        if found >= expected or time.monotonic() > deadline:
            return found
        time.sleep(0.02)


def test_flush_writes_queued_entries(session_factory):
    log = AuditLog(session_factory, clock=lambda: AT)
    log.record("action-server", audit.READ_PROFILE, "C0000001", "profile", "support_conversation")
    log.record("desk", audit.READ_PROFILE, "C0000002", None, "x" * 300)
    assert rows(session_factory) == []
    assert log.pending == 2
    assert log.flush() == 2
    assert log.pending == 0
    first, second = rows(session_factory)
    assert (first.at, first.actor, first.action, first.customer_id, first.resource) == (
        AT,
        "action-server",
        audit.READ_PROFILE,
        "C0000001",
        "profile",
    )
    assert first.reason == "support_conversation"
    assert second.reason == "x" * audit.MAX_REASON
    assert log.flush() == 0


def test_background_writer_flushes_on_its_interval(session_factory):
    log = AuditLog(session_factory, flush_interval_seconds=0.05, batch_size=1000)
    log.start()
    try:
        log.record("action-server", audit.READ_PROFILE, "C0000001")
        assert wait_for_rows(session_factory, 1) == 1
    finally:
        log.stop()


def test_full_batch_wakes_the_writer_before_the_interval(session_factory):
    log = AuditLog(session_factory, flush_interval_seconds=600, batch_size=3)
    log.start()
    try:
        for _ in range(3):
            log.record("action-server", audit.READ_PROFILE, "C0000001")
        assert wait_for_rows(session_factory, 3) == 3
    finally:
        log.stop()


def test_stop_writes_what_is_left(session_factory):
    log = AuditLog(session_factory, flush_interval_seconds=600)
    log.start()
    for index in range(7):
        log.record("action-server", audit.READ_PROFILE, f"C000000{index}")
    log.stop()
    assert len(rows(session_factory)) == 7
    assert log.pending == 0


def test_failed_flush_keeps_entries_for_the_next_one(tmp_path):
    engine = build_engine(f"sqlite:///{tmp_path}/late.sqlite")
    session_factory = build_session_factory(engine)
    log = AuditLog(session_factory)
    log.record("action-server", audit.READ_PROFILE, "C0000001")
    assert log.flush() == 0  # no audit_log table yet
    assert log.pending == 1
    create_schema(engine)
    log.record("action-server", audit.READ_PROFILE, "C0000002")
    assert log.flush() == 2
    assert [row.customer_id for row in rows(session_factory)] == ["C0000001", "C0000002"]
    engine.dispose()


def test_record_change_commits_and_rolls_back_with_the_unit_of_work(session_factory):
    with unit_of_work(session_factory) as session:
        record_change(session, "action-server", audit.ERASE, "C0000001", None, "asked", AT)
    with pytest.raises(RuntimeError):
        with unit_of_work(session_factory) as session:
            record_change(session, "action-server", audit.ERASE, "C0000002", None, None, AT)
            raise RuntimeError("the change failed")
    assert [(row.customer_id, row.reason) for row in rows(session_factory)] == [
        ("C0000001", "asked")
    ]
