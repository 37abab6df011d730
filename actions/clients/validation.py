"""Checks both clients make before a request, exactly as the service's API would reject it.

The real service answers a malformed id, an unknown channel or a page size out of range with a
422; checking first gives the fake the same behaviour and spares the service the round trip.
Every check raises `InvalidRequest` with per-field `details` shaped like FastAPI's.
"""

from typing import Any, List, Optional, Type, TypeVar

from pydantic import BaseModel, ValidationError

from actions.clients.errors import InvalidRequest
from customer_data.schemas import KNOWN_IDENTITY_CHANNELS, KNOWN_PURPOSES, CustomerId, OrderId

VALIDATION_ERROR_CODE = "validation_error"  # the service's `error` code for a 422
MIN_LIMIT = 1
MAX_LIMIT = 100
MAX_AUDIT_REASON = 200

RequestModel = TypeVar("RequestModel", bound=BaseModel)


def _invalid(location: List[str], message: str) -> InvalidRequest:
    return InvalidRequest(
        f"{'.'.join(location)}: {message}",
        code=VALIDATION_ERROR_CODE,
        details=[{"loc": location, "msg": message, "type": "value_error"}],
    )


def build_request(model: Type[RequestModel], **fields: Any) -> RequestModel:
    """The request body, validated by its own schema before it leaves the process.

    Raises:
        InvalidRequest: With pydantic's per-field errors as `details`.

    """
    try:
        return model(**fields)
    except ValidationError as error:
        raise InvalidRequest(
            f"invalid {model.__name__}: {error}", code=VALIDATION_ERROR_CODE, details=error.errors()
        ) from error


def check_customer_id(customer_id: str) -> None:
    """Rejects anything that is not a customer id like `C0001234`."""
    if not CustomerId.regex.match(customer_id):
        raise _invalid(["path", "customer_id"], f"not a customer id: {customer_id!r}")


def check_order_id(order_id: str) -> None:
    """Rejects anything that is not an order id like `ORD-583920`."""
    if not OrderId.regex.match(order_id):
        raise _invalid(["path", "order_id"], f"not an order id: {order_id!r}")


def check_channel(channel: str) -> None:
    """Rejects a channel outside `customer_data.models.IDENTITY_CHANNELS`."""
    if channel not in KNOWN_IDENTITY_CHANNELS:
        allowed = ", ".join(KNOWN_IDENTITY_CHANNELS)
        raise _invalid(["channel"], f"channel must be one of: {allowed}")


def check_purpose(purpose: str) -> None:
    """Rejects a consent purpose outside `customer_data.models.CONSENT_PURPOSES`."""
    if purpose not in KNOWN_PURPOSES:
        allowed = ", ".join(KNOWN_PURPOSES)
        raise _invalid(["path", "purpose"], f"purpose must be one of: {allowed}")


def check_limit(limit: int) -> None:
    """Rejects a page size outside 1..100 (the service's bounds)."""
    if not MIN_LIMIT <= limit <= MAX_LIMIT:
        raise _invalid(["query", "limit"], f"limit must be {MIN_LIMIT}..{MAX_LIMIT}, not {limit}")


def check_audit_reason(reason: Optional[str]) -> None:
    """Rejects an audit reason that cannot travel in an HTTP header (printable ASCII, <= 200)."""
    if reason is None:
        return
    if len(reason) > MAX_AUDIT_REASON or not all(" " <= char <= "~" for char in reason):
        raise _invalid(
            ["header", "X-Audit-Reason"],
            f"the reason must be printable ASCII of at most {MAX_AUDIT_REASON} characters",
        )
