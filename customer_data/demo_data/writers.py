"""Streaming writers for the export files: CSV (as a CRM exports it) or JSON lines.

Files are written row by row as the generator yields them; Unix line endings and UTF-8 make
the output byte-identical on every platform.
"""

import csv
import json
from pathlib import Path
from typing import IO, Dict, List

from customer_data.ingest import formats

CSV = "csv"
JSONL = "jsonl"
FORMATS = (CSV, JSONL)


class ExportWriter:
    """Writes every export file of one directory; use as a context manager."""

    def __init__(self, directory: Path, file_format: str = CSV) -> None:
        """Creates `directory` and one file per entity in `file_format` (csv or jsonl)."""
        if file_format not in FORMATS:
            raise ValueError(f"unknown format {file_format!r}; expected one of {FORMATS}")
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.format = file_format
        self.counts: Dict[str, int] = {entity: 0 for entity in formats.LOAD_ORDER}
        self._handles: Dict[str, IO[str]] = {}
        self._writers: Dict[str, object] = {}
        for entity in formats.LOAD_ORDER:
            handle = open(self.path(entity), "w", encoding="utf-8", newline="")
            self._handles[entity] = handle
            if file_format == CSV:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(formats.FILE_COLUMNS[entity])
                self._writers[entity] = writer

    def path(self, entity: str) -> Path:
        """Where `entity`'s file goes."""
        return self.directory / f"{entity}.{self.format}"

    def write(self, rows: Dict[str, List[list]]) -> None:
        """Appends the rows of each entity to its file."""
        for entity, entity_rows in rows.items():
            if not entity_rows:
                continue
            self.counts[entity] += len(entity_rows)
            if self.format == CSV:
                self._writers[entity].writerows(entity_rows)
                continue
            columns = formats.FILE_COLUMNS[entity]
            handle = self._handles[entity]
            for row in entity_rows:
                record = {
                    name: (value if value != "" else None)
                    for name, value in zip(columns, row, strict=True)
                }
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        """Closes every file."""
        for handle in self._handles.values():
            handle.close()

    def __enter__(self) -> "ExportWriter":
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.close()
