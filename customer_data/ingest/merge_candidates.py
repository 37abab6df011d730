"""Possible duplicates that are not certain enough to merge: near-identical names at one address.

Two customers at the same normalised address (whitespace, commas and letter case aside) whose
normalised names are equal, or at least `SIMILARITY_THRESHOLD` alike (difflib ratio), become a
`MergeCandidate` row for a person to review. A pair is recorded once, whichever comes first.

The search runs once per ingested file, after its last batch: one grouped query finds the
addresses shared by several customers where at least one of them was written by this run
(`updated_at` equals the run's time stamp). One pass over the table per file, however large,
instead of one per batch, and no index on `address` needed.
"""

import difflib
import itertools
from datetime import datetime
from typing import Dict, Iterable, List, Set, Tuple

from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Connection

from customer_data import models
from customer_data.ingest.normalize import name_key
from customer_data.ingest.references import IN_CHUNK_SIZE, rows_where_in

SIMILARITY_THRESHOLD = 0.85

customers = models.Customer.__table__
candidates_table = models.MergeCandidate.__table__
Pair = Tuple[str, str]


def name_similarity(first: str, second: str) -> float:
    """1.0 for the same normalised name, else difflib's ratio of the normalised names."""
    first_key, second_key = name_key(first), name_key(second)
    if first_key == second_key:
        return 1.0
    return difflib.SequenceMatcher(None, first_key, second_key).ratio()


class MergeCandidateFinder:
    """Finds and records merge candidates among customers written by one ingest run."""

    def __init__(self, now: datetime, threshold: float = SIMILARITY_THRESHOLD) -> None:
        """`now` is the run's time stamp (in `updated_at` of every row the run wrote)."""
        self.now = now
        self.threshold = threshold

    def find(self, connection: Connection) -> List[str]:
        """Records the new candidate pairs; returns one line per pair for the summary."""
        # Stored addresses are already whitespace- and comma-normalised; letter case is not.
        address_key = func.lower(customers.c.address)
        shared = (
            select(address_key)
            .where(customers.c.address.isnot(None))
            .group_by(address_key)
            .having(
                and_(
                    func.count() > 1,
                    func.max(case((customers.c.updated_at == self.now, 1), else_=0)) == 1,
                )
            )
        )
        residents = connection.execute(
            select(
                customers.c.id,
                customers.c.name,
                customers.c.address,
                customers.c.updated_at,
                address_key.label("address_key"),
            )
            .where(address_key.in_(shared))
            .order_by(address_key, customers.c.id)
        )
        found: Dict[Pair, str] = {}
        for _, group in itertools.groupby(residents, key=lambda row: row.address_key):
            found.update(self._similar_pairs(list(group)))
        return self._record(connection, found)

    def _similar_pairs(self, residents: list) -> Iterable[Tuple[Pair, str]]:
        for first, second in itertools.combinations(residents, 2):
            if first.updated_at != self.now and second.updated_at != self.now:
                continue  # compared when one of them was written
            similarity = name_similarity(first.name, second.name)
            if similarity >= self.threshold:
                yield (
                    (first.id, second.id),
                    (
                        f"similar names at the same address: {first.name!r} / {second.name!r} "
                        f"(similarity {similarity:.2f}) at {first.address!r}"
                    ),
                )

    def _record(self, connection: Connection, found: Dict[Pair, str]) -> List[str]:
        pairs = list(found)
        lines = []
        for start in range(0, len(pairs), IN_CHUNK_SIZE):
            chunk = pairs[start : start + IN_CHUNK_SIZE]
            known = self._known_pairs(connection, [first for first, _ in chunk])
            new = [pair for pair in chunk if pair not in known]
            if not new:
                continue
            connection.execute(
                candidates_table.insert(),
                [
                    {
                        "customer_id_a": first,
                        "customer_id_b": second,
                        "reason": found[(first, second)],
                        "detected_at": self.now,
                    }
                    for first, second in new
                ],
            )
            lines.extend(f"{first} ~ {second}: {found[(first, second)]}" for first, second in new)
        return lines

    def _known_pairs(self, connection: Connection, first_ids: List[str]) -> Set[Pair]:
        columns = [candidates_table.c.customer_id_a, candidates_table.c.customer_id_b]
        return {
            (row.customer_id_a, row.customer_id_b)
            for row in rows_where_in(
                connection, columns, candidates_table.c.customer_id_a, first_ids
            )
        }
