"""Clients for the services behind the actions (today: the customer data service).

Actions depend on `CustomerDataClient` and catch the errors below; `shared_customer_data_client()`
builds the real client on first use, tests pass a `FakeCustomerDataClient`.
"""

from actions.clients.circuit_breaker import CircuitBreaker
from actions.clients.customer_data import CustomerDataClient
from actions.clients.errors import (
    CircuitOpen,
    CustomerDataError,
    InvalidRequest,
    NotFound,
    RateLimited,
    RuleViolation,
    ServiceUnavailable,
    Unauthorized,
    UnexpectedResponse,
)
from actions.clients.factory import (
    customer_data_client_from_env,
    shared_customer_data_client,
    shared_support_desk_client,
)
from actions.clients.fake_customer_data import FakeCustomerDataClient
from actions.clients.http_customer_data import HttpCustomerDataClient
from actions.clients.support_desk import FakeSupportDeskClient, SupportDeskClient

__all__ = [
    "CircuitBreaker",
    "CircuitOpen",
    "CustomerDataClient",
    "CustomerDataError",
    "FakeCustomerDataClient",
    "HttpCustomerDataClient",
    "InvalidRequest",
    "NotFound",
    "RateLimited",
    "RuleViolation",
    "ServiceUnavailable",
    "Unauthorized",
    "UnexpectedResponse",
    "customer_data_client_from_env",
    "shared_customer_data_client",
    "shared_support_desk_client",
    "SupportDeskClient",
    "FakeSupportDeskClient",
]
