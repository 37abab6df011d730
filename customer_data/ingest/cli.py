"""Command line: `python -m customer_data.ingest ENTITY FILE` or `... load-all DIRECTORY`.

Exit status 0 when the file was processed (quarantined rows are reported, not fatal), 2 when the
file or the database cannot be used at all (the message says what to fix), 1 on a database error.
"""

import argparse
import sys
import warnings
from pathlib import Path
from typing import Callable, List, Optional

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SAWarning, SQLAlchemyError

from customer_data.db import build_engine
from customer_data.ingest import formats
from customer_data.ingest.errors import IngestError
from customer_data.ingest.load_all import load_directory
from customer_data.ingest.loader import DEFAULT_BATCH_SIZE, ingest_file
from customer_data.ingest.quarantine import DEFAULT_DIRECTORY
from customer_data.ingest.summary import Summary
from customer_data.settings import get_settings

LOAD_ALL = "load-all"
EXIT_OK = 0
EXIT_DATABASE_ERROR = 1
EXIT_UNUSABLE_INPUT = 2
# SQLite keeps Numeric(12, 2) as REAL; amounts of at most 10 digits and 2 decimals survive the
# round trip exactly, so SQLAlchemy's generic warning about it is noise for an operator.
DECIMAL_ON_SQLITE_WARNING = r".*does \*not\* support Decimal objects natively.*"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (one sub-command per entity, plus load-all)."""
    parser = argparse.ArgumentParser(
        prog="python -m customer_data.ingest",
        description="Validate, normalise and load CRM exports (CSV or JSON lines).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for entity in formats.LOAD_ORDER:
        command = commands.add_parser(entity, help=f"ingest an export file of {entity}")
        command.add_argument("file", type=Path, help=".csv, .jsonl or .ndjson")
        command.add_argument(
            "--quarantine",
            type=Path,
            default=None,
            help="rejected rows (default var/quarantine/<name>.quarantine.csv)",
        )
        _common(command)
    everything = commands.add_parser(LOAD_ALL, help="ingest every export file of a directory")
    everything.add_argument("directory", type=Path)
    everything.add_argument("--quarantine-dir", type=Path, default=DEFAULT_DIRECTORY)
    _common(everything)
    return parser


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--database-url",
        default=None,
        help="SQLAlchemy URL (default: DATABASE_URL or the settings default)",
    )
    command.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the command line; returns the exit status."""
    arguments = build_parser().parse_args(argv)
    warnings.filterwarnings("ignore", message=DECIMAL_ON_SQLITE_WARNING, category=SAWarning)
    if arguments.batch_size < 1:
        print("error: --batch-size must be at least 1", file=sys.stderr)
        return EXIT_UNUSABLE_INPUT
    engine = build_engine(arguments.database_url or get_settings().database_url)
    try:
        summaries = _run(engine, arguments, report=lambda summary: print(summary.format()))
    except IngestError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_UNUSABLE_INPUT
    except SQLAlchemyError as error:
        print(f"database error: {error}", file=sys.stderr)
        return EXIT_DATABASE_ERROR
    finally:
        engine.dispose()
    if len(summaries) > 1:
        print(_total(summaries))
    return EXIT_OK


def _run(
    engine: Engine, arguments: argparse.Namespace, report: Callable[[Summary], None]
) -> List[Summary]:
    if arguments.command == LOAD_ALL:
        if not arguments.directory.is_dir():
            raise IngestError(f"{arguments.directory}: not a directory")
        return load_directory(
            engine,
            arguments.directory,
            arguments.quarantine_dir,
            arguments.batch_size,
            report=report,
        )
    summary = ingest_file(
        engine, arguments.command, arguments.file, arguments.quarantine, arguments.batch_size
    )
    report(summary)
    return [summary]


def _total(summaries: List[Summary]) -> str:
    read = sum(summary.read for summary in summaries)
    seconds = sum(summary.seconds for summary in summaries)
    quarantined = sum(summary.quarantined for summary in summaries)
    rate = read / seconds if seconds else 0.0
    return (
        f"total: {len(summaries)} files, {read:,} rows, {quarantined:,} quarantined "
        f"in {seconds:.2f} s ({rate:,.0f} rows/s)"
    )
