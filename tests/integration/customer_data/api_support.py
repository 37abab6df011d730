"""Builds the API over a seeded SQLite file, with the clock pinned to `factories.NOW`."""

from pathlib import Path
from typing import Optional

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from customer_data.api.app import create_app
from customer_data.api.routes.common import AUDIT_LOG, CLOCK
from customer_data.bootstrap import Container, bootstrap
from customer_data.cache import ProfileCache
from customer_data.db import create_schema, unit_of_work
from customer_data.models import AuditEntry
from customer_data.settings import Settings
from tests.unit.customer_data.factories import NOW, seed_shop

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CLIENT_ID = "action-server"


def build_container(
    tmp_path: Path, cache: Optional[ProfileCache] = None, **settings: object
) -> Container:
    """A container over a new, seeded database; `settings` override the test defaults."""
    values = {
        "database_url": f"sqlite:///{tmp_path}/db.sqlite",
        "api_tokens": f"{CLIENT_ID}:{TOKEN}",
        "redis_url": "",
        **settings,
    }
    container = bootstrap(Settings(**values), cache=cache)
    create_schema(container.engine)
    with unit_of_work(container.session_factory) as session:
        seed_shop(session)
    container.extras[CLOCK] = lambda: NOW
    return container


def client_for(container: Container, **kwargs: object) -> TestClient:
    """A test client over `create_app(container)` (use it as a context manager: lifespan)."""
    return TestClient(create_app(container), **kwargs)


def audit_rows(container: Container, action: str, customer_id: str) -> list:
    """Flushes the buffered audit log, then reads the matching rows."""
    container.extras[AUDIT_LOG].flush()
    with unit_of_work(container.session_factory) as session:
        statement = (
            select(AuditEntry)
            .where(AuditEntry.action == action, AuditEntry.customer_id == customer_id)
            .order_by(AuditEntry.id)
        )
        return session.execute(statement).scalars().all()


def audit_count(container: Container) -> int:
    """All audit rows, after a flush."""
    container.extras[AUDIT_LOG].flush()
    with unit_of_work(container.session_factory) as session:
        return session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
