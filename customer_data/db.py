"""Database engine and units of work.

One engine per process, one session per unit of work (a request, an ingest batch, a webhook),
opened and committed by the caller; repositories receive the session and never commit.
"""

import os
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool, StaticPool

from customer_data.models import Base


def build_engine(database_url: str) -> Engine:
    """An engine for `database_url`; SQLite gets foreign keys, WAL and a created directory."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, future=True)

    in_memory = not url.database or url.database == ":memory:"
    if not in_memory:
        directory = os.path.dirname(url.database)
        if directory:
            os.makedirs(directory, exist_ok=True)
    # SQLAlchemy 1.4 gives file-based SQLite a NullPool (a new connection and pragmas per unit
    # of work); a QueuePool, 2.0's default, halves the cost of a profile read.
    engine = create_engine(
        url,
        future=True,
        # An in-memory database exists once per connection, so it must share one.
        poolclass=StaticPool if in_memory else QueuePool,
        **({} if in_memory else {"pool_size": 8, "max_overflow": 8}),
        connect_args={"check_same_thread": False, "timeout": 30},
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def build_session_factory(engine: Engine) -> sessionmaker:
    """Sessions bound to `engine`; objects stay readable after commit."""
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)


@contextmanager
def unit_of_work(session_factory: sessionmaker) -> Iterator[Session]:
    """Commits when the block succeeds, rolls back when it raises, always closes."""
    session = session_factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def create_schema(engine: Engine) -> None:
    """Creates all tables directly (tests, benchmarks); deployments use `migrate.upgrade`."""
    Base.metadata.create_all(engine)
