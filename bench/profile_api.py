"""Profile reads through the customer data API: latency on cache miss and hit, and requests/s.

Generates a demo shop, loads it into a fresh SQLite file, starts the API (`python -m
customer_data.api`, one uvicorn worker, in-process cache unless REDIS_URL is set) on a free port,
then measures:
  * cache miss: the first read of each of `--sample` customers (p50 / p95 / p99),
  * cache hit: the same customers read again (p50 / p95 / p99),
  * throughput with 1 and 16 concurrent connections (wrk, cache hits, `--seconds` each).

Run: .venv/bin/python bench/profile_api.py [--customers 20000] [--sample 1000] [--seconds 10]
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TOKEN = "bench-token"


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentiles(values: List[float]) -> str:
    """p50 / p95 / p99 of `values` in ms, formatted."""
    ordered = sorted(values)

    def at(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    return f"p50 {at(0.50):.2f} ms, p95 {at(0.95):.2f} ms, p99 {at(0.99):.2f} ms"


def prepare_database(workdir: Path, customers: int) -> str:
    """Generates `customers` demo customers and ingests them; returns the database URL."""
    export = workdir / "crm"
    database_url = f"sqlite:///{workdir / 'bench.db'}"
    env = {**os.environ, "DATABASE_URL": database_url}
    started = time.perf_counter()
    subprocess.run(
        [
            PYTHON,
            "-m",
            "customer_data.demo_data",
            "--customers",
            str(customers),
            "--seed",
            "11",
            "--out",
            str(export),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [PYTHON, "-m", "customer_data.migrate", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    subprocess.run(
        [
            PYTHON,
            "-m",
            "customer_data.ingest",
            "load-all",
            str(export),
            "--database-url",
            database_url,
            "--quarantine-dir",
            str(workdir / "quarantine"),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"Prepared {customers} customers in {time.perf_counter() - started:.0f} s")
    return database_url


def start_api(database_url: str, port: int, log: Path) -> subprocess.Popen:
    """Starts the API and waits for /health."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CUSTOMER_DATA_API_TOKENS": f"bench:{TOKEN}",
        "CUSTOMER_DATA_PORT": str(port),
        "CUSTOMER_DATA_RATE_LIMIT_PER_MINUTE": "1000000000",
        "PROFILE_CACHE_TTL_SECONDS": "3600",
    }
    process = subprocess.Popen(
        [PYTHON, "-m", "customer_data.api"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"API did not start:\n{log.read_text()[-2000:]}")


def timed_reads(port: int, customer_ids: List[str]) -> List[float]:
    """Reads each profile once over one keep-alive connection; latencies in ms."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    latencies = []
    for customer_id in customer_ids:
        started = time.perf_counter()
        connection.request("GET", f"/api/customers/{customer_id}/profile", headers=headers)
        response = connection.getresponse()
        response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise RuntimeError(f"{customer_id}: HTTP {response.status}")
    connection.close()
    return latencies


def wrk_throughput(
    port: int, customer_ids: List[str], connections: int, seconds: int, workdir: Path
) -> Dict[str, str]:
    """Requests/s and latency from wrk cycling over `customer_ids` (all cached by now)."""
    script = workdir / "profiles.lua"
    ids = ", ".join(f'"{customer_id}"' for customer_id in customer_ids)
    script.write_text(
        f"local ids = {{{ids}}}\nlocal i = 0\n"
        f'wrk.headers["Authorization"] = "Bearer {TOKEN}"\n'
        "request = function()\n  i = i % #ids + 1\n"
        '  return wrk.format("GET", "/api/customers/" .. ids[i] .. "/profile")\nend\n'
    )
    threads = min(connections, 2)
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", output).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rate": rate, "p99": p99, "non2xx": errors.group(1) if errors else "0"}


def main() -> None:
    """Runs the whole benchmark and prints the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: run scripts/ensure_wrk.sh (or `make bench`)")

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        database_url = prepare_database(workdir, args.customers)
        engine = sa.create_engine(database_url)
        with engine.connect() as connection:
            customer_ids = (
                connection.execute(
                    sa.text("select id from customers order by id limit :n"), {"n": args.sample}
                )
                .scalars()
                .all()
            )
        port = free_port()
        api = start_api(database_url, port, workdir / "api.log")
        try:
            miss = timed_reads(port, customer_ids)
            hit = timed_reads(port, customer_ids) + timed_reads(port, customer_ids)
            print(f"Profile read, cache miss ({len(miss)} reads): {percentiles(miss)}")
            print(f"Profile read, cache hit ({len(hit)} reads): {percentiles(hit)}")
            for connections in (1, 16):
                figures = wrk_throughput(port, customer_ids, connections, args.seconds, workdir)
                print(
                    f"Throughput, {connections:>2} connection(s): {figures['rate']} requests/s, "
                    f"p99 {figures['p99']}, non-2xx {figures['non2xx']}"
                )
        finally:
            api.terminate()
            api.wait(timeout=30)


if __name__ == "__main__":
    main()
