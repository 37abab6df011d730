"""Per-message NLU parse latency of the trained model on the held-out messages (p50 / p95).

Run: .venv/bin/python bench/parse_latency.py [--model models] [--repeat 3]
"""

import argparse
import asyncio
import logging
import statistics
import time
from pathlib import Path

from rasa.core.agent import load_agent
from rasa.shared.nlu.training_data.loading import load_data
from rasa.utils.common import configure_logging_and_warnings
from rasa.utils.log_utils import configure_structlog

HOLDOUT = Path("tests/nlu/holdout.yml")


def percentile(values, fraction):
    """The value below which `fraction` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


async def measure(model: str, repeat: int) -> None:
    """Parses every held-out message `repeat` times and prints latency figures."""
    agent = await load_agent(model_path=model)
    texts = [m.get("text") for m in load_data(str(HOLDOUT)).intent_examples]
    await agent.parse_message(texts[0])  # warm-up
    latencies_ms = []
    for _ in range(repeat):
        for text in texts:
            started = time.perf_counter()
            await agent.parse_message(text)
            latencies_ms.append((time.perf_counter() - started) * 1000)
    print(
        f"NLU parse latency over {len(latencies_ms)} parses: "
        f"p50 {statistics.median(latencies_ms):.2f} ms, "
        f"p95 {percentile(latencies_ms, 0.95):.2f} ms, "
        f"max {max(latencies_ms):.2f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="models")
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    asyncio.run(measure(arguments.model, arguments.repeat))
