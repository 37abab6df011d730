"""Train the assistant only when its inputs changed, and print training time and model size.

`rasa train` compares the fingerprint of data/, config.yml and domain.yml with the newest model
and skips training when nothing changed; this wrapper adds the figures CI and users look at.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

MODEL_NAME = "brightcart"


def newest_model(directory: Path) -> Optional[Path]:
    """The most recently written model archive in `directory`, if any."""
    models = sorted(directory.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    return models[-1] if models else None


def main() -> int:
    """Runs `rasa train` and reports whether it trained, how long it took and the model size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="models", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    before = newest_model(args.out)
    before_mtime = before.stat().st_mtime if before else None
    started = time.perf_counter()
    rasa = Path(sys.executable).with_name("rasa")
    result = subprocess.run(
        [str(rasa), "train", "--out", str(args.out), "--fixed-model-name", MODEL_NAME, "--quiet"],
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        print(f"rasa train failed with exit code {result.returncode}", file=sys.stderr)
        return result.returncode

    model = newest_model(args.out)
    if model is None:
        print("rasa train finished but wrote no model", file=sys.stderr)
        return 1
    retrained = before_mtime is None or model.stat().st_mtime != before_mtime
    size_mb = model.stat().st_size / 1e6
    status = "trained" if retrained else "up to date, not retrained"
    print(f"Model {model} ({status}): training step took {elapsed:.1f} s, size {size_mb:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
