"""Segmentation at scale: time and peak memory to featurize and segment N synthetic customers.

Per size, one subprocess bulk-loads a synthetic shop (planted groups, insights/synthetic.py) into a
fresh SQLite file (not part of the target; printed for context), and a second, fresh subprocess
times featurize (SQL aggregation from that file), fit (clean + k over 3..8 + personas) and the
segments-table insert, reporting its own peak RSS (ru_maxrss). Figures, not assertions.

Run: .venv/bin/python bench/segmentation_scale.py [--sizes 100000 1000000] [--k-max 8]
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import exc as sa_exc  # noqa: E402

from customer_data.db import build_engine, create_schema  # noqa: E402
from insights.assignments import write_segments  # noqa: E402
from insights.features import featurize  # noqa: E402
from insights.pipeline import fit_segmentation  # noqa: E402
from insights.synthetic import load_synthetic_shop  # noqa: E402

AS_OF = datetime(2026, 11, 1)
LOAD_CHUNK = 100_000  # customers per loader call: bounded memory while loading
TARGET_SECONDS, TARGET_GIB = 60, 4  # for 1M customers on 2 cores (featurize + segment)


def peak_mib() -> float:
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(db: Path, customers: int, seed: int) -> dict:
    """Child 1: the synthetic shop into a fresh SQLite file."""
    engine = build_engine(f"sqlite:///{db}")
    create_schema(engine)
    started, rows = time.perf_counter(), {}
    for first in range(1, customers + 1, LOAD_CHUNK):
        size = min(LOAD_CHUNK, customers - first + 1)
        for table, n in load_synthetic_shop(engine, size, seed, AS_OF, first)[2].items():
            rows[table] = rows.get(table, 0) + n
    engine.dispose()
    return {"load_s": time.perf_counter() - started, "rows": rows, "load_peak_mib": peak_mib()}


def segment(db: Path, k_max: int) -> dict:
    """Child 2: featurize + fit (+ insert segments), timed step by step."""
    engine = build_engine(f"sqlite:///{db}")
    started = time.perf_counter()
    features = featurize(engine, AS_OF)
    featurize_s = time.perf_counter() - started
    started = time.perf_counter()
    fit = fit_segmentation(features, AS_OF, AS_OF, (3, k_max))
    fit_s = time.perf_counter() - started
    peak_before_write = peak_mib()
    started = time.perf_counter()
    write_segments(engine, fit.customer_ids, fit.segments, fit.model.version, AS_OF)
    write_s = time.perf_counter() - started
    engine.dispose()
    return {
        "featurize_s": featurize_s,
        "fit_s": fit_s,
        "write_s": write_s,
        "k": fit.model.k,
        "steps": fit.seconds,
        "peak_mib": peak_before_write,
        "peak_with_write_mib": peak_mib(),
    }


def _child(*arguments: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, *arguments], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run(sizes, k_max: int, seed: int) -> None:
    """Loads and segments each size in fresh subprocesses; prints one block per size."""
    print(f"synthetic shop as of {AS_OF:%Y-%m-%d}, SQLite file, k in 3..{k_max}, 2-core target: ")
    print(f"  1M customers featurize + segment <= {TARGET_SECONDS} s and <= {TARGET_GIB} GiB")
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="seg-bench-") as workdir:
            db = Path(workdir) / "shop.db"
            loaded = _child("--load", str(db), "--customers", str(size), "--seed", str(seed))
            rows = ", ".join(f"{table} {n:,}" for table, n in loaded["rows"].items())
            print(f"\n{size:,} customers: loaded {rows} in {loaded['load_s']:.1f} s (not timed)")
            done = _child("--segment", str(db), "--k-max", str(k_max))
            total = done["featurize_s"] + done["fit_s"]
            steps = ", ".join(f"{step} {s:.1f} s" for step, s in done["steps"].items())
            print(
                f"  featurize {done['featurize_s']:.1f} s + fit {done['fit_s']:.1f} s ({steps}) "
                f"= {total:.1f} s; k={done['k']}; peak RSS {done['peak_mib']:,.0f} MiB"
            )
            print(
                f"  insert {size:,} segments rows: {done['write_s']:.1f} s "
                f"(peak RSS incl. insert {done['peak_with_write_mib']:,.0f} MiB)"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--k-max", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--customers", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--load", type=Path, help=argparse.SUPPRESS)  # child 1
    parser.add_argument("--segment", type=Path, help=argparse.SUPPRESS)  # child 2
    arguments = parser.parse_args()
    warnings.filterwarnings("ignore", category=sa_exc.SAWarning)
    if arguments.load:
        print(json.dumps(load(arguments.load, arguments.customers, arguments.seed)))
    elif arguments.segment:
        print(json.dumps(segment(arguments.segment, arguments.k_max)))
    else:
        run(arguments.sizes, arguments.k_max, arguments.seed)
