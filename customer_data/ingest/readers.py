"""Rows out of CSV and JSON-lines exports, as text fields plus the original for the quarantine.

Structural problems of one row (wrong number of fields, a line that is not JSON) travel with the
row as a `problem`; problems of the whole file (no header, missing columns, not UTF-8) raise
`MalformedFileError` with a message that names the file and what is wrong.
"""

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Dict, Iterator, Optional, Sequence, Tuple

from customer_data.ingest.errors import MalformedFileError
from customer_data.ingest.formats import CSV_SUFFIX, JSONL_SUFFIXES
from customer_data.ingest.normalize import collapse

ENCODING = "utf-8-sig"  # tolerate the byte-order mark spreadsheet programs write


@dataclass(slots=True)
class SourceRow:
    """One data row: its line number, its fields as text, and what was read, for quarantine."""

    line: int
    fields: Dict[str, str]
    original: Any  # CSV: {column: text}; JSON lines: the decoded object or the raw line
    problem: Optional[str] = None


class RowReader:
    """Iterates the data rows of one export file (use as a context manager)."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        """Opens `path`, which must end in .csv, .jsonl or .ndjson and provide `columns`."""
        self.path = Path(path)
        self.expected = tuple(columns)
        suffix = self.path.suffix.lower()
        if suffix == CSV_SUFFIX:
            self.is_jsonl = False
        elif suffix in JSONL_SUFFIXES:
            self.is_jsonl = True
        else:
            raise MalformedFileError(
                f"{self.path}: unknown file type {suffix!r}; expected .csv, .jsonl or .ndjson"
            )
        try:
            self._handle: IO[str] = open(self.path, encoding=ENCODING, newline="")
        except OSError as error:
            raise MalformedFileError(f"{self.path}: cannot open ({error.strerror})") from error
        self.header: Tuple[str, ...] = self.expected
        if not self.is_jsonl:
            self._csv = csv.reader(self._handle)
            try:
                self.header = self._read_header()
            except MalformedFileError:
                self._handle.close()
                raise

    def __enter__(self) -> "RowReader":
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Closes the file."""
        self._handle.close()

    def __iter__(self) -> Iterator[SourceRow]:
        try:
            yield from self._jsonl_rows() if self.is_jsonl else self._csv_rows()
        except UnicodeDecodeError as error:
            raise MalformedFileError(f"{self.path}: not UTF-8 text ({error.reason})") from error
        except csv.Error as error:
            raise MalformedFileError(f"{self.path}: unreadable CSV ({error})") from error

    def _read_header(self) -> Tuple[str, ...]:
        try:
            first = next(self._csv, None)
        except UnicodeDecodeError as error:
            raise MalformedFileError(f"{self.path}: not UTF-8 text ({error.reason})") from error
        except csv.Error as error:
            raise MalformedFileError(f"{self.path}: unreadable header row ({error})") from error
        if not first or not any(cell.strip() for cell in first):
            raise MalformedFileError(f"{self.path}: empty file; expected a header row")
        header = tuple(collapse(cell).lower() for cell in first)
        duplicates = sorted({name for name in header if header.count(name) > 1})
        if duplicates:
            raise MalformedFileError(f"{self.path}: duplicate columns: {', '.join(duplicates)}")
        missing = [name for name in self.expected if name not in header]
        if missing:
            raise MalformedFileError(
                f"{self.path}: missing columns: {', '.join(missing)} "
                f"(the header has: {', '.join(header)})"
            )
        return header

    def _csv_rows(self) -> Iterator[SourceRow]:
        header, width = self.header, len(self.header)
        for record in self._csv:
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # blank line
            fields = dict(zip(header, record, strict=False))
            problem = None
            if len(record) != width:
                problem = f"row has {len(record)} fields, the header has {width}"
                if len(record) > width:
                    problem += f" (extra values: {record[width:]!r})"
                fields.update((name, "") for name in header[len(record) :])
            yield SourceRow(self._csv.line_num, fields, fields, problem)

    def _jsonl_rows(self) -> Iterator[SourceRow]:
        for line_number, line in enumerate(self._handle, start=1):
            if not line.strip():
                continue
            try:
                decoded = json.loads(line)
            except json.JSONDecodeError as error:
                yield SourceRow(line_number, {}, line.rstrip("\n"), f"not valid JSON ({error.msg})")
                continue
            if not isinstance(decoded, dict):
                yield SourceRow(line_number, {}, decoded, "not a JSON object")
                continue
            fields, nested = {}, []
            for name, value in decoded.items():
                if isinstance(value, dict | list):
                    nested.append(name)
                else:
                    fields[name] = _as_text(value)
            problem = f"nested values are not supported: {', '.join(nested)}" if nested else None
            yield SourceRow(line_number, fields, decoded, problem)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)
