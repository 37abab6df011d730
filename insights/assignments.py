"""Writing each customer's segment to the `segments` table in chunked bulk inserts.

Rows are appended, never updated: the profile API reads the newest row per customer, and older
rows keep the history of which model said what. One transaction covers the whole run, so a
failure halfway leaves no customer with a segment from a model that was never fully applied.
"""

from datetime import datetime
from typing import Sequence

from sqlalchemy.engine import Engine

from customer_data.models import Segment

INSERT_CHUNK_SIZE = 10_000  # rows per executemany: bounded memory, few round trips
_segments = Segment.__table__


def write_segments(
    engine: Engine,
    customer_ids: Sequence[str],
    segments: Sequence[str],
    model_version: str,
    assigned_at: datetime,
    chunk_size: int = INSERT_CHUNK_SIZE,
) -> int:
    """Inserts one segments row per customer; returns the number of rows written."""
    insert = _segments.insert()
    with engine.begin() as connection:
        for start in range(0, len(customer_ids), chunk_size):
            connection.execute(
                insert,
                [
                    {
                        "customer_id": customer_id,
                        "segment": segment,
                        "model_version": model_version,
                        "assigned_at": assigned_at,
                    }
                    for customer_id, segment in zip(
                        customer_ids[start : start + chunk_size],
                        segments[start : start + chunk_size],
                        strict=True,
                    )
                ],
            )
    return len(customer_ids)
