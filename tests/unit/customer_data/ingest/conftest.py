"""An in-memory SQLite database with the customer data schema, one per test."""

import warnings
from typing import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SAWarning

from customer_data.db import build_engine, create_schema


@pytest.fixture
def engine() -> Iterator[Engine]:
    warnings.filterwarnings("ignore", category=SAWarning)  # Decimal on SQLite
    engine = build_engine("sqlite://")
    create_schema(engine)
    yield engine
    engine.dispose()
