"""The quarantine file: every rejected row as it was read, plus the reasons it was rejected.

CSV inputs get a CSV quarantine (the input's columns, then `source_line` and `reason`), JSON-lines
inputs a JSON-lines quarantine (the original object plus the same two keys), so a fixed file can be
ingested again as it is.
"""

import csv
import json
from pathlib import Path
from typing import IO, Any, List, Optional, Sequence

from customer_data.ingest.readers import SourceRow

DEFAULT_DIRECTORY = Path("var/quarantine")
REASON = "reason"
LINE = "source_line"
REASON_SEPARATOR = "; "


def default_path(source: Path, jsonl: bool, directory: Path = DEFAULT_DIRECTORY) -> Path:
    """`var/quarantine/<name>.quarantine.csv` (or `.jsonl`) for the input file `source`."""
    return directory / f"{Path(source).stem}.quarantine{'.jsonl' if jsonl else '.csv'}"


class QuarantineFile:
    """Writes rejected rows; created on the first one, so a clean run leaves no file behind."""

    def __init__(self, path: Path, header: Sequence[str], jsonl: bool) -> None:
        """Quarantines into `path`; `header` are the input's columns (CSV inputs)."""
        self.path = Path(path)
        self.jsonl = jsonl
        self.reason_column = REASON if REASON not in header else f"quarantine_{REASON}"
        self.header = tuple(header)
        self.count = 0
        self._handle: Optional[IO[str]] = None
        self._writer: Any = None

    def __enter__(self) -> "QuarantineFile":
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.close()

    def write(self, row: SourceRow, problems: List[str]) -> None:
        """Appends `row` with its problems."""
        if self._handle is None:
            self._open()
        reason = REASON_SEPARATOR.join(problems)
        if self.jsonl:
            original = row.original if isinstance(row.original, dict) else {"raw": row.original}
            record = {**original, LINE: row.line, self.reason_column: reason}
            self._handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        else:
            self._writer.writerow(
                [row.original.get(name, "") for name in self.header] + [row.line, reason]
            )
        self.count += 1

    def close(self) -> None:
        """Closes the file; removes a stale one from an earlier run when nothing was rejected."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        elif self.count == 0 and self.path.exists():
            self.path.unlink()

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = open(self.path, "w", encoding="utf-8", newline="")
        if not self.jsonl:
            self._writer = csv.writer(self._handle, lineterminator="\n")
            self._writer.writerow([*self.header, LINE, self.reason_column])
