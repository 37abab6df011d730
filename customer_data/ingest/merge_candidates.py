"""Possible duplicates that are not certain enough to merge: near-identical names at one address.

Two records at the same (normalised) address whose normalised names are equal, or at least
`SIMILARITY_THRESHOLD` alike (difflib ratio), become a `MergeCandidate` row for a person to
review. A pair is recorded once, whichever of the two arrives first.
"""

import difflib
from datetime import datetime
from typing import Dict, List, Sequence, Set, Tuple

from sqlalchemy.engine import Connection

from customer_data import models
from customer_data.ingest.normalize import name_key
from customer_data.ingest.references import rows_where_in
from customer_data.ingest.validation import Values

SIMILARITY_THRESHOLD = 0.85

customers = models.Customer.__table__
candidates_table = models.MergeCandidate.__table__


def name_similarity(first: str, second: str) -> float:
    """1.0 for the same normalised name, else difflib's ratio of the normalised names."""
    first_key, second_key = name_key(first), name_key(second)
    if first_key == second_key:
        return 1.0
    return difflib.SequenceMatcher(None, first_key, second_key).ratio()


class MergeCandidateFinder:
    """Finds and records merge candidates for customers just inserted or changed."""

    def __init__(self, now: datetime, threshold: float = SIMILARITY_THRESHOLD) -> None:
        """Stamps new candidates with `now`; pairs at least `threshold` alike are reported."""
        self.now = now
        self.threshold = threshold

    def find(self, connection: Connection, changed: Sequence[Values]) -> List[str]:
        """Records new candidate pairs among `changed` and customers at their addresses.

        Returns:
            One line per newly recorded pair, for the ingest summary.

        """
        subjects = [values for values in changed if values.get("address")]
        if not subjects:
            return []
        residents: Dict[str, List[Tuple[str, str]]] = {}
        for row in rows_where_in(
            connection,
            [customers.c.id, customers.c.name, customers.c.address],
            customers.c.address,
            (values["address"] for values in subjects),
        ):
            residents.setdefault(row.address, []).append((row.id, row.name))
        found: Dict[Tuple[str, str], str] = {}
        for values in subjects:
            own_id, own_name = values["customer_id"], values["name"]
            for other_id, other_name in residents.get(values["address"], ()):
                pair = tuple(sorted((own_id, other_id)))
                if other_id == own_id or pair in found:
                    continue
                similarity = name_similarity(own_name, other_name)
                if similarity >= self.threshold:
                    found[pair] = (
                        f"similar names at the same address: {own_name!r} / {other_name!r} "
                        f"(similarity {similarity:.2f}) at {values['address']!r}"
                    )
        if not found:
            return []
        known = self._known_pairs(connection, [pair[0] for pair in found])
        new = {pair: reason for pair, reason in found.items() if pair not in known}
        if new:
            connection.execute(
                candidates_table.insert(),
                [
                    {
                        "customer_id_a": a,
                        "customer_id_b": b,
                        "reason": reason,
                        "detected_at": self.now,
                    }
                    for (a, b), reason in new.items()
                ],
            )
        return [f"{a} ~ {b}: {reason}" for (a, b), reason in new.items()]

    def _known_pairs(self, connection: Connection, first_ids: List[str]) -> Set[Tuple[str, str]]:
        columns = [candidates_table.c.customer_id_a, candidates_table.c.customer_id_b]
        return {
            (row.customer_id_a, row.customer_id_b)
            for row in rows_where_in(
                connection, columns, candidates_table.c.customer_id_a, first_ids
            )
        }
