"""CRM ingest throughput: generate N customers, ingest customers, orders and tickets into SQLite.

Prints rows/s per file and overall, and the process's peak memory. Figures, not assertions.

Run: .venv/bin/python bench/ingest_throughput.py [--customers 100000] [--batch-size 2000]
"""

import argparse
import resource
import sys
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path

from sqlalchemy import exc as sa_exc

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from customer_data.db import build_engine, create_schema  # noqa: E402
from customer_data.demo_data.generator import DEFAULT_AS_OF, generate  # noqa: E402
from customer_data.ingest import formats  # noqa: E402
from customer_data.ingest.loader import ingest_file  # noqa: E402

BENCHED = (formats.CUSTOMERS, formats.ORDERS, formats.TICKETS)


def peak_memory_mib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(customers: int, batch_size: int, seed: int) -> None:
    """Generates, ingests and prints the figures."""
    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as workdir:
        export = Path(workdir) / "crm"
        started = time.perf_counter()
        writer = generate(export, customers, seed, date.fromisoformat(DEFAULT_AS_OF))
        generated = time.perf_counter() - started
        rows = sum(writer.counts.values())
        print(
            f"generated {customers:,} customers ({rows:,} rows in {len(writer.counts)} files) "
            f"in {generated:.1f} s; peak memory {peak_memory_mib():.0f} MiB"
        )
        engine = build_engine(f"sqlite:///{workdir}/bench.db")
        create_schema(engine)
        total_rows, total_seconds = 0, 0.0
        for entity in BENCHED:
            summary = ingest_file(
                engine,
                entity,
                writer.path(entity),
                Path(workdir) / f"{entity}.quarantine.csv",
                batch_size,
            )
            total_rows += summary.read
            total_seconds += summary.seconds
            print(
                f"{entity:>10}: {summary.read:>9,} rows in {summary.seconds:6.2f} s = "
                f"{summary.rows_per_second:>8,.0f} rows/s (loaded {summary.loaded:,}, "
                f"merged {summary.merged:,}, quarantined {summary.quarantined:,}, "
                f"merge candidates {len(summary.merge_candidates):,})"
            )
        print(
            f"{'overall':>10}: {total_rows:>9,} rows in {total_seconds:6.2f} s = "
            f"{total_rows / total_seconds:>8,.0f} rows/s; peak memory "
            f"{peak_memory_mib():.0f} MiB"
        )
        started = time.perf_counter()
        again = ingest_file(
            engine,
            formats.ORDERS,
            writer.path(formats.ORDERS),
            Path(workdir) / "orders.again.csv",
            batch_size,
        )
        print(
            f"re-run of orders: {again.read:,} rows, {again.unchanged:,} unchanged, "
            f"{again.loaded + again.updated} written in {time.perf_counter() - started:.2f} s "
            f"({again.rows_per_second:,.0f} rows/s)"
        )
        engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    warnings.filterwarnings("ignore", category=sa_exc.SAWarning)  # Decimal on SQLite, see cli
    run(arguments.customers, arguments.batch_size, arguments.seed)
