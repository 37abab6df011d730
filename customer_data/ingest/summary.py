"""What one file's ingest did, counted, and printed as the operator reads it."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

MAX_REPORTED_CANDIDATES = 20


@dataclass
class Summary:
    """Counts of one ingest run; `read` is the sum of the other row counts."""

    entity: str
    path: Path
    read: int = 0
    loaded: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0  # rows attached to an existing customer by identity resolution
    quarantined: int = 0
    merge_candidates: List[str] = field(default_factory=list)
    seconds: float = 0.0
    quarantine_path: Optional[Path] = None

    @property
    def rows_per_second(self) -> float:
        """Rows read per second of wall time."""
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def format(self) -> str:
        """A few lines for the terminal."""
        lines = [
            f"{self.entity} ({self.path}): read {self.read:,}, loaded {self.loaded:,}, "
            f"updated {self.updated:,}, unchanged {self.unchanged:,}, merged {self.merged:,}, "
            f"quarantined {self.quarantined:,}, merge candidates "
            f"{len(self.merge_candidates):,} in {self.seconds:.2f} s "
            f"({self.rows_per_second:,.0f} rows/s)"
        ]
        if self.quarantined and self.quarantine_path:
            lines.append(f"  quarantine: {self.quarantine_path}")
        for line in self.merge_candidates[:MAX_REPORTED_CANDIDATES]:
            lines.append(f"  merge candidate {line}")
        hidden = len(self.merge_candidates) - MAX_REPORTED_CANDIDATES
        if hidden > 0:
            lines.append(f"  ... and {hidden} more merge candidates (table merge_candidates)")
        return "\n".join(lines)
