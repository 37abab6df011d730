"""Runs the API with uvicorn: `python -m customer_data.api`.

Listens on CUSTOMER_DATA_HOST (default 127.0.0.1) and CUSTOMER_DATA_PORT (default 8000).
"""

import os

import uvicorn

from customer_data.api.app import create_app
from customer_data.bootstrap import bootstrap

HOST_VARIABLE = "CUSTOMER_DATA_HOST"
PORT_VARIABLE = "CUSTOMER_DATA_PORT"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def main() -> None:
    """Builds the container from the environment and serves the API until interrupted."""
    host = os.environ.get(HOST_VARIABLE, DEFAULT_HOST)
    port = int(os.environ.get(PORT_VARIABLE, str(DEFAULT_PORT)))
    uvicorn.run(create_app(bootstrap()), host=host, port=port, log_level="info")


if __name__ == "__main__":
    main()
