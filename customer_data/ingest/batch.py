"""What a handler decides for a batch of rows, and the interface every handler implements.

A handler looks rows up and plans statements (`plan`); the loader executes the plans of a batch
in one transaction, grouped per statement so each becomes one `executemany` (see `bulk`).
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, List, NamedTuple, Sequence, Tuple

from sqlalchemy.engine import Connection
from sqlalchemy.sql import Executable

from customer_data.ingest.readers import SourceRow
from customer_data.ingest.validation import Values

LOADED = "loaded"
UPDATED = "updated"
UNCHANGED = "unchanged"
MERGED = "merged"

DUPLICATE_KEY_CONFLICT = (
    "duplicate key: an earlier row of this file has the same key with different values"
)


class Statement(NamedTuple):
    """A Core statement a handler executes, with the order its parameters are given in."""

    name: str
    sql: Executable
    columns: Tuple[str, ...]  # parameter names; an operation's values come in this order


Operation = Tuple[str, Tuple[Any, ...]]  # (statement name, values in `Statement.columns` order)


@dataclass(slots=True)
class Candidate:
    """A row after validation: its values and every problem found so far."""

    source: SourceRow
    values: Values
    problems: List[str] = field(default_factory=list)


@dataclass(slots=True)
class Planned:
    """A row that will be written (or left alone): its outcome and the statements it needs."""

    candidate: Candidate
    outcome: str
    operations: List[Operation] = field(default_factory=list)


class BatchHandler(ABC):
    """Turns validated rows of one entity into planned writes, batch by batch.

    One handler serves one file, so it can remember keys across batches (duplicate detection).
    """

    # In execution order: inserts before the updates and the child rows that need them.
    statements: Sequence[Statement] = ()

    @abstractmethod
    def plan(self, connection: Connection, candidates: List[Candidate]) -> List[Planned]:
        """Plans every candidate without problems; adds problems to those that cannot be written.

        Candidates that already have problems are only checked further (references), so their
        quarantine reason lists everything wrong with them.
        """

    def finish(self, connection: Connection) -> List[str]:
        """Runs once after the file's last batch, in its own transaction; returns report lines."""
        return []
