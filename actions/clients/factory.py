"""The composition root for the action server's customer data client, built on first use.

Nothing here runs at import time: the action server imports every module under `actions/`, and
a client must not be built (or a warning logged) before an action asks for one.
"""

import logging
import os
from functools import lru_cache
from typing import Mapping, Optional, Tuple

from actions.clients.customer_data import CustomerDataClient
from actions.clients.http_customer_data import HttpCustomerDataClient
from actions.clients.http_support_desk import HttpSupportDeskClient
from actions.clients.support_desk import SupportDeskClient

logger = logging.getLogger(__name__)

URL_ENV = "CUSTOMER_DATA_URL"
TOKEN_ENV = "CUSTOMER_DATA_TOKEN"  # noqa: S105 - the variable's name, not a secret
DEFAULT_URL = "http://127.0.0.1:8000"


def service_location(environ: Optional[Mapping[str, str]] = None) -> Tuple[str, str]:
    """The data service's base URL and bearer token from the environment (both clients use them).

    Without a token one warning says what to set; the clients are still built (their calls raise
    `Unauthorized`), so a misconfigured action server starts and answers generally.
    """
    env = os.environ if environ is None else environ
    base_url = env.get(URL_ENV, "").strip() or DEFAULT_URL
    token = env.get(TOKEN_ENV, "").strip()
    if not token:
        logger.warning(
            "%s is not set: the customer data service at %s will refuse every call",
            TOKEN_ENV,
            base_url,
        )
    return base_url, token


def customer_data_client_from_env(
    environ: Optional[Mapping[str, str]] = None,
) -> CustomerDataClient:
    """A new HTTP client configured from `CUSTOMER_DATA_URL` and `CUSTOMER_DATA_TOKEN`.

    Args:
        environ: Where to read the variables; default `os.environ`.

    """
    return HttpCustomerDataClient(*service_location(environ))


@lru_cache(maxsize=1)
def shared_customer_data_client() -> CustomerDataClient:
    """The action server's one client (one connection pool, one circuit breaker), made lazily.

    Tests that need a fresh one call `shared_customer_data_client.cache_clear()`.
    """
    return customer_data_client_from_env()


@lru_cache(maxsize=1)
def shared_support_desk_client() -> SupportDeskClient:
    """The action server's one support desk client, on the same URL and token, made lazily."""
    return HttpSupportDeskClient(*service_location())
