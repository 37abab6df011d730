"""What a handler decides for a batch of rows, and the interface every handler implements.

A handler looks rows up and plans statements (`plan`); the loader executes the plans of a batch
in one transaction, grouped per statement so each becomes one `executemany`.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Dict, List, Sequence, Tuple

from sqlalchemy.engine import Connection
from sqlalchemy.sql import Executable

from customer_data.ingest.readers import SourceRow
from customer_data.ingest.validation import Values

LOADED = "loaded"
UPDATED = "updated"
UNCHANGED = "unchanged"
MERGED = "merged"
OUTCOMES = (LOADED, UPDATED, UNCHANGED, MERGED)

DUPLICATE_KEY_CONFLICT = (
    "duplicate key: an earlier row of this file has the same key with different values"
)

Operation = Tuple[str, Dict[str, Any]]  # (statement name, parameters)


@dataclass
class Candidate:
    """A row after validation: its values and every problem found so far."""

    source: SourceRow
    values: Values
    problems: List[str] = field(default_factory=list)


@dataclass
class Planned:
    """A row that will be written (or left alone): its outcome and the statements it needs."""

    candidate: Candidate
    outcome: str
    operations: List[Operation] = field(default_factory=list)


class BatchHandler(ABC):
    """Turns validated rows of one entity into planned writes, batch by batch.

    One handler serves one file, so it can remember keys across batches (duplicate detection).
    """

    # (name, statement) in execution order: inserts before the updates and children that need them.
    statements: Sequence[Tuple[str, Executable]] = ()

    @abstractmethod
    def plan(self, connection: Connection, candidates: List[Candidate]) -> List[Planned]:
        """Plans every candidate without problems; adds problems to those that cannot be written.

        Candidates that already have problems are only checked further (references), so their
        quarantine reason lists everything wrong with them.
        """

    def after_write(self, connection: Connection, written: List[Planned]) -> List[str]:
        """Runs after a batch's writes, in the same transaction; returns lines to report."""
        return []


def execute(
    connection: Connection, statements: Sequence[Tuple[str, Executable]], planned: Sequence[Planned]
) -> None:
    """Executes the operations of `planned`, one executemany per statement, in statement order."""
    grouped: Dict[str, List[Dict[str, Any]]] = {name: [] for name, _ in statements}
    for plan in planned:
        for name, parameters in plan.operations:
            grouped[name].append(parameters)
    for name, statement in statements:
        if grouped[name]:
            connection.execute(statement, grouped[name])
