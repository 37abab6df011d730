"""Runs the API with uvicorn: `python -m customer_data.api`.

Listens on CUSTOMER_DATA_HOST (default 127.0.0.1) and CUSTOMER_DATA_PORT (default 8000).
"""

import os

import uvicorn

from customer_data.api.app import create_app
from customer_data.bootstrap import bootstrap

HOST_VARIABLE = "CUSTOMER_DATA_HOST"
PORT_VARIABLE = "CUSTOMER_DATA_PORT"
ACCESS_LOG_VARIABLE = "CUSTOMER_DATA_ACCESS_LOG"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def main() -> None:
    """Builds the container from the environment and serves the API until interrupted."""
    host = os.environ.get(HOST_VARIABLE, DEFAULT_HOST)
    port = int(os.environ.get(PORT_VARIABLE, str(DEFAULT_PORT)))
    # Per-request access logs cost about a fifth of the throughput; opt in when debugging.
    access_log = os.environ.get(ACCESS_LOG_VARIABLE, "").lower() in {"1", "true", "yes"}
    uvicorn.run(
        create_app(bootstrap()), host=host, port=port, log_level="info", access_log=access_log
    )


if __name__ == "__main__":
    main()
