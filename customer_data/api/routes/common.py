"""What every route module shares: the container, the clock, units of work, id parameters."""

from contextlib import contextmanager
from datetime import datetime
from typing import Callable, Iterator

from fastapi import Depends, Path, Query, Request
from sqlalchemy.orm import Session
from typing_extensions import Annotated

from customer_data.api.rate_limit import rate_limited_client
from customer_data.audit import AuditLog
from customer_data.bootstrap import Container
from customer_data.cache import profile_key
from customer_data.db import unit_of_work

# Keys of the per-feature singletons in `Container.extras`.
AUDIT_LOG = "audit_log"
RATE_LIMITER = "rate_limiter"
CLOCK = "clock"  # optional: a callable returning naive UTC now (tests pin time with it)

CUSTOMER_ID_PATTERN = r"^C\d{7}$"
ORDER_ID_PATTERN = r"^ORD-\d{6}$"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100

CustomerId = Annotated[
    str,
    Path(pattern=CUSTOMER_ID_PATTERN, description="Customer id.", examples=["C0001234"]),
]
OrderId = Annotated[
    str, Path(pattern=ORDER_ID_PATTERN, description="Order id.", examples=["ORD-583920"])
]
# The calling client's id (authenticated and within its rate limit): the audit actor.
Client = Annotated[str, Depends(rate_limited_client)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="How many records, newest first.")]


def container_of(request: Request) -> Container:
    """The service's container, as stored by `create_app`."""
    return request.app.state.container


def now(container: Container) -> datetime:
    """The current time as naive UTC (from `extras[CLOCK]` when set)."""
    clock: Callable[[], datetime] = container.extras.get(CLOCK, datetime.utcnow)
    return clock()


def audit_log(container: Container) -> AuditLog:
    """The buffered audit log of profile reads."""
    return container.extras[AUDIT_LOG]


@contextmanager
def reading(container: Container) -> Iterator[Session]:
    """A unit of work for reads."""
    with unit_of_work(container.session_factory) as session:
        yield session


@contextmanager
def changing(container: Container, customer_id: str) -> Iterator[Session]:
    """A unit of work that changes a customer's data; drops their cached profile after commit."""
    with unit_of_work(container.session_factory) as session:
        yield session
    container.profiles.invalidate(profile_key(customer_id))
