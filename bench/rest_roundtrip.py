"""REST round-trip latency and throughput against a running assistant (start it with `make run`).

Plays a fixed 8-turn support conversation many times: first one conversation at a time, then
`--concurrency` conversations in parallel, and prints p50 / p95 per message and messages per second.

Run: .venv/bin/python bench/rest_roundtrip.py [--url http://localhost:5005] [--conversations 20]
"""

import argparse
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import List

import requests

CONVERSATION = [
    "hi",
    "where is my order?",
    "it's 583920",
    "how long does express delivery take",
    "i want to cancel order ORD-482913",
    "yes",
    "thanks",
    "bye",
]


def play(url: str) -> List[float]:
    """Plays one conversation with a fresh sender id; returns per-message latencies in ms."""
    sender = f"bench-{uuid.uuid4()}"
    latencies = []
    with requests.Session() as session:
        for message in CONVERSATION:
            started = time.perf_counter()
            response = session.post(
                f"{url}/webhooks/rest/webhook",
                json={"sender": sender, "message": message},
                timeout=30,
            )
            response.raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def report(label: str, latencies: List[float], elapsed_s: float) -> None:
    """Prints p50, p95 and throughput for one run."""
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(
        f"{label}: {len(latencies)} messages, p50 {statistics.median(ordered):.1f} ms, "
        f"p95 {p95:.1f} ms, {len(latencies) / elapsed_s:.1f} msg/s"
    )


def main() -> None:
    """Runs the sequential and the concurrent measurement."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()

    play(args.url)  # warm-up
    started = time.perf_counter()
    sequential = [ms for _ in range(args.conversations) for ms in play(args.url)]
    report("1 conversation at a time", sequential, time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as pool:
        runs = list(pool.map(lambda _: play(args.url), range(args.conversations)))
    report(
        f"{args.concurrency} concurrent conversations",
        [ms for run in runs for ms in run],
        time.perf_counter() - started,
    )


if __name__ == "__main__":
    main()
