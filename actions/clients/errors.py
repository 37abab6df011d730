"""What can go wrong when the action server talks to the customer data service.

Actions translate these into a response at their boundary: `ServiceUnavailable` (and its
subclasses) means "answer politely without personal data", `RuleViolation` carries the reason the
shop's rules refused (it can be shown to the customer), everything else is a bug or a
configuration problem worth logging.
"""

from typing import Any, List, Optional


class CustomerDataError(Exception):
    """Base of every error raised by a customer data client.

    Attributes:
        message: What went wrong, from the service's error body when there was one.
        status_code: The HTTP status, or None when no response was received.
        code: The service's stable error code (`"not_found"`, ...), when it sent one.
        details: Structured details (e.g. validation errors per field), when available.

    """

    def __init__(
        self,
        message: str,
        *,
        status_code: Optional[int] = None,
        code: Optional[str] = None,
        details: Optional[List[Any]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.code = code
        self.details = details


class NotFound(CustomerDataError):
    """The customer, order or identity does not exist (or is not that customer's)."""


class RuleViolation(CustomerDataError):
    """The shop's rules refused the change (HTTP 409); `reason` says why, in customer words."""

    @property
    def reason(self) -> str:
        """The rule's reason, e.g. "the order is shipped; ... return it instead"."""
        return self.message


class InvalidRequest(CustomerDataError):
    """The request was malformed (HTTP 400/422, or rejected before sending); see `details`."""


class Unauthorized(CustomerDataError):
    """The service rejected the bearer token (HTTP 401/403): a configuration problem."""


class RateLimited(CustomerDataError):
    """Too many requests (HTTP 429); `retry_after` is in seconds when the service said so."""

    def __init__(self, message: str, *, retry_after: Optional[float] = None, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServiceUnavailable(CustomerDataError):
    """The service could not answer: connection error, timeout, 5xx or an open circuit."""


class CircuitOpen(ServiceUnavailable):
    """Failing fast: the service failed repeatedly and the circuit breaker is open."""


class UnexpectedResponse(ServiceUnavailable):
    """The service answered with a body that does not match the API contract.

    For the conversation this is the same as an unavailable service; the log says it is a
    contract mismatch (e.g. a client older than the service).
    """
