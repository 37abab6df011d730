"""REST round trips of personalized turns, next to a stock `rasa init` assistant, in one run.

Starts, on free loopback ports:
  * this project: customer data service (demo CRM export loaded into a temporary SQLite file),
    action server and Rasa server with the trained model in models/;
  * a stock assistant made with `rasa init --no-prompt` (trained by `rasa init`), Rasa server only.
Then plays conversations against each, 1 at a time and 10 at once, and prints p50 / p95 / p99 per
message and messages per second. A personalized conversation sends a signed customer token with
its first message (the session start fetches the profile through the action server) and asks
for the last order (the action fetches it from the data service).

Run: .venv/bin/python bench/personalized_turn.py [--conversations 30]   (after `make train`)
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Optional

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from actions.identity import issue_customer_token  # noqa: E402

RASA = str(Path(sys.executable).with_name("rasa"))
PYTHON = sys.executable
WEB_SECRET = "bench-web-secret"
API_TOKEN = "bench-api-token"
PERSONALIZED_TURNS = ["hi", "where is my last order?", "thanks", "bye"]
STOCK_TURNS = ["hi", "I am sad", "yes", "bye"]


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 300) -> None:
    """Waits until `url` answers 200, or fails with the process log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up\n{log.read_text()[-3000:]}")


def start(command: List[str], cwd: Path, env: Dict[str, str], log: Path) -> subprocess.Popen:
    """Starts a server process with its output in `log`."""
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def play(url: str, turns: List[str], metadata: Optional[dict]) -> List[float]:
    """Plays one conversation; returns per-message latency in ms."""
    sender = f"bench-{uuid.uuid4()}"
    latencies = []
    with requests.Session() as session:
        for index, text in enumerate(turns):
            body = {"sender": sender, "message": text}
            if metadata and index == 0:
                body["metadata"] = metadata
            started = time.perf_counter()
            response = session.post(f"{url}/webhooks/rest/webhook", json=body, timeout=60)
            response.raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def percentile(ordered: List[float], fraction: float) -> float:
    """The value at `fraction` of the sorted `ordered` values."""
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(
    label: str, url: str, turns: List[str], tokens: List[Optional[str]], conversations: int
) -> None:
    """Prints sequential and 10-concurrent figures for one assistant."""

    def metadata(index: int) -> Optional[dict]:
        token = tokens[index % len(tokens)]
        return {"customer_token": token} if token else None

    play(url, turns, metadata(0))  # warm-up
    for concurrency in (1, 10):
        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            runs = list(pool.map(lambda i: play(url, turns, metadata(i)), range(conversations)))
        elapsed = time.perf_counter() - started
        values = sorted(ms for run in runs for ms in run)
        p50, p95, p99 = (percentile(values, fraction) for fraction in (0.5, 0.95, 0.99))
        print(
            f"{label:<22} {concurrency:>2} at once: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms"
            f"  p99 {p99:6.1f} ms  {len(values) / elapsed:6.1f} msg/s"
        )


def main() -> None:
    """Sets up both assistants, measures them, and stops every process."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=30)
    args = parser.parse_args()
    processes: List[subprocess.Popen] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        try:
            database_url = f"sqlite:///{workdir / 'customers.db'}"
            data_port, action_port, rasa_port, stock_port = (free_port() for _ in range(4))
            env = {
                **os.environ,
                "DATABASE_URL": database_url,
                "CUSTOMER_DATA_API_TOKENS": f"action-server:{API_TOKEN}",
                "CUSTOMER_DATA_TOKEN": API_TOKEN,
                "CUSTOMER_DATA_PORT": str(data_port),
                "CUSTOMER_DATA_URL": f"http://127.0.0.1:{data_port}",
                "CUSTOMER_DATA_RATE_LIMIT_PER_MINUTE": "1000000",
                "WEB_TOKEN_SECRET": WEB_SECRET,
                "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
                "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
                "RASA_TELEMETRY_ENABLED": "false",
                "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            }
            env.pop("REDIS_URL", None)
            subprocess.run(
                [PYTHON, "-m", "customer_data.migrate", "upgrade"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
            subprocess.run(
                [
                    PYTHON,
                    "-m",
                    "customer_data.ingest",
                    "load-all",
                    "data/crm",
                    "--database-url",
                    database_url,
                    "--quarantine-dir",
                    str(workdir / "quarantine"),
                ],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
            engine = sa.create_engine(database_url)
            with engine.connect() as connection:
                customer_ids = (
                    connection.execute(
                        sa.text(
                            "select distinct customer_id from orders order by customer_id limit 50"
                        )
                    )
                    .scalars()
                    .all()
                )
            tokens = [issue_customer_token(cid, WEB_SECRET) for cid in customer_ids]

            stock_dir = workdir / "stock"
            print("Creating and training the stock assistant (rasa init --no-prompt) ...")
            stock_dir.mkdir()
            subprocess.run(
                [RASA, "init", "--no-prompt", "--init-dir", str(stock_dir)],
                cwd=workdir,
                env=env,
                check=True,
                capture_output=True,
            )

            logs = {name: workdir / f"{name}.log" for name in ("data", "actions", "rasa", "stock")}
            processes.append(start([PYTHON, "-m", "customer_data.api"], ROOT, env, logs["data"]))
            wait_for(f"http://127.0.0.1:{data_port}/health", processes[-1], logs["data"])
            processes.append(
                start(
                    [RASA, "run", "actions", "--port", str(action_port)], ROOT, env, logs["actions"]
                )
            )
            wait_for(f"http://127.0.0.1:{action_port}/health", processes[-1], logs["actions"])
            processes.append(
                start(
                    [
                        RASA,
                        "run",
                        "--model",
                        "models",
                        "--port",
                        str(rasa_port),
                        "--endpoints",
                        "endpoints.yml",
                        "--credentials",
                        "credentials.yml",
                    ],
                    ROOT,
                    env,
                    logs["rasa"],
                )
            )
            wait_for(f"http://127.0.0.1:{rasa_port}/", processes[-1], logs["rasa"])
            processes.append(
                start(
                    [RASA, "run", "--model", "models", "--port", str(stock_port)],
                    stock_dir,
                    {**env, "TRACKER_STORE_URL": ""},
                    logs["stock"],
                )
            )
            wait_for(f"http://127.0.0.1:{stock_port}/", processes[-1], logs["stock"])

            print(f"{args.conversations} conversations of 4 turns each per run")
            measure(
                "personalized (ours)",
                f"http://127.0.0.1:{rasa_port}",
                PERSONALIZED_TURNS,
                tokens,
                args.conversations,
            )
            measure(
                "stock rasa init",
                f"http://127.0.0.1:{stock_port}",
                STOCK_TURNS,
                [None],
                args.conversations,
            )
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


if __name__ == "__main__":
    main()
