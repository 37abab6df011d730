"""`python -m customer_data.demo_data --customers 3000 --seed 7 --out data/crm`.

Writes the demo CRM export (customers, orders, items, invoices, payments, refunds, tickets,
consents, identities, interactions) deterministically: same arguments, same bytes.
"""

import argparse
import time
from datetime import date
from pathlib import Path
from typing import List, Optional

from customer_data.demo_data.generator import DEFAULT_AS_OF, generate
from customer_data.demo_data.writers import CSV, FORMATS


def main(argv: Optional[List[str]] = None) -> int:
    """Parses arguments, writes the files and prints what was written."""
    parser = argparse.ArgumentParser(
        prog="python -m customer_data.demo_data",
        description="Write the demo CRM export (deterministic: same arguments, same bytes).",
    )
    parser.add_argument(
        "--customers", type=int, default=3000, help="people (a few duplicate records come extra)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("data/crm"), help="output directory")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=date.fromisoformat(DEFAULT_AS_OF),
        help="the export date: nothing in the data happens after it",
    )
    parser.add_argument("--format", choices=FORMATS, default=CSV)
    parser.add_argument(
        "--clean", action="store_true", help="no deliberately invalid or messy rows"
    )
    arguments = parser.parse_args(argv)
    if arguments.customers < 0:
        parser.error("--customers must not be negative")
    started = time.perf_counter()
    writer = generate(
        arguments.out,
        arguments.customers,
        arguments.seed,
        arguments.as_of,
        arguments.format,
        not arguments.clean,
    )
    total_bytes = 0
    for entity, count in writer.counts.items():
        size = writer.path(entity).stat().st_size
        total_bytes += size
        print(f"{writer.path(entity)}: {count:,} rows, {size / 1024:,.0f} KiB")
    print(
        f"{sum(writer.counts.values()):,} rows, {total_bytes / 1024 / 1024:.1f} MiB "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
