"""CRM webhook events: the envelope, one pydantic model per event type, and `parse_event`.

Also home of `WebhookRejected`, the one error of the webhook layer: parsing raises it here,
applying raises it in `customer_data.webhook_apply`, and the route in `customer_data.webhooks`
turns it into the HTTP answer.
"""

import json
from datetime import date, datetime, timezone
from typing import Any, Dict, Literal, Optional, Tuple, Type

from fastapi.responses import JSONResponse
from pydantic import (
    BaseModel,
    StrictBool,
    ValidationError,
    conint,
    constr,
    root_validator,
    validator,
)

from customer_data.models import (
    CONSENT_PURPOSES,
    ORDER_STATUSES,
    TICKET_CATEGORIES,
    TICKET_CHANNELS,
    TICKET_STATUSES,
    TIERS,
)
from customer_data.schemas import CustomerId, ErrorOut, OrderId

CRM_SOURCE = "crm"  # order status history and consent source
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"  # the CRM validated it; this catches garbage
E164_PATTERN = r"^\+[1-9][0-9]{6,14}$"

# Error codes of parsing (the API's own codes where the meaning is the same).
MALFORMED_JSON = "malformed_json"
VALIDATION_ERROR = "validation_error"

PROFILE_UPDATED = "profile.updated"
ORDER_STATUS_CHANGED = "order.status_changed"
TICKET_UPDATED = "ticket.updated"
CONSENT_CHANGED = "consent.changed"
EVENT_TYPES = (PROFILE_UPDATED, ORDER_STATUS_CHANGED, TICKET_UPDATED, CONSENT_CHANGED)


class WebhookRejected(Exception):
    """The event is refused; carries the HTTP status and the `ErrorOut` body."""

    def __init__(self, status: int, code: str, message: str, details: Optional[list] = None):
        """An HTTP `status` with a stable error `code` and a `message` the sender can act on."""
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details

    def response(self) -> JSONResponse:
        """The rejection as a JSON error response."""
        body = ErrorOut(error=self.code, message=self.message, details=self.details)
        return JSONResponse(body.dict(exclude_none=True), status_code=self.status)


class EventModel(BaseModel):
    """Base of event bodies: unknown fields are errors; aware times become naive UTC."""

    class Config:
        """Reject fields this service does not know, rather than dropping them silently."""

        extra = "forbid"

    @validator("*")
    def _naive_utc(cls, value: Any) -> Any:  # noqa: N805
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(timezone.utc).replace(tzinfo=None)
        return value


def _not_null(*fields: str) -> Any:
    """A validator refusing an explicit null for `fields` (columns that cannot be empty)."""

    def check(cls: type, value: Any) -> Any:
        if value is None:
            raise ValueError("may be left out, but not null")
        return value

    return validator(*fields, pre=True, allow_reuse=True)(check)


class EventEnvelope(EventModel):
    """What every CRM event looks like; `data` is validated by the model of its `type`."""

    id: constr(regex=r"^[!-~]{1,64}$")  # printable ASCII without spaces
    type: Literal[EVENT_TYPES]
    occurred_at: datetime
    data: Dict[str, Any]


class ProfileUpdated(EventModel):
    """New values for some of a customer's master data."""

    customer_id: CustomerId
    name: Optional[constr(strip_whitespace=True, min_length=1, max_length=200)] = None
    email: Optional[constr(to_lower=True, max_length=254, regex=EMAIL_PATTERN)] = None
    phone: Optional[constr(regex=E164_PATTERN)] = None
    country: Optional[constr(to_upper=True, regex=r"^[A-Z]{2}$")] = None
    address: Optional[constr(strip_whitespace=True, min_length=1, max_length=300)] = None
    tier: Optional[Literal[TIERS]] = None

    _required_columns = _not_null("name", "country", "tier")

    @root_validator(pre=True)
    def _changes_something(cls, values: Dict[str, Any]) -> Dict[str, Any]:  # noqa: N805
        if not set(values) - {"customer_id"}:
            raise ValueError("name at least one field to change besides customer_id")
        return values


class OrderStatusChanged(EventModel):
    """An order moved to `status` at `at` (default: the event's time)."""

    order_id: OrderId
    status: Literal[ORDER_STATUSES]
    at: Optional[datetime] = None
    delivery_estimate: Optional[date] = None


class TicketUpdated(EventModel):
    """A ticket was opened or changed in the ticketing system."""

    ticket_id: constr(regex=r"^T-[0-9]{1,14}$")
    customer_id: CustomerId
    status: Optional[Literal[TICKET_STATUSES]] = None
    category: Optional[Literal[TICKET_CATEGORIES]] = None
    channel: Optional[Literal[TICKET_CHANNELS]] = None
    subject: Optional[constr(strip_whitespace=True, min_length=1, max_length=300)] = None
    satisfaction: Optional[conint(ge=1, le=5)] = None
    resolved_at: Optional[datetime] = None

    _required_columns = _not_null("status", "category", "channel", "subject")


class ConsentChanged(EventModel):
    """The customer granted or withdrew consent for one purpose."""

    customer_id: CustomerId
    purpose: Literal[CONSENT_PURPOSES]
    granted: StrictBool
    source: constr(strip_whitespace=True, min_length=1, max_length=32) = CRM_SOURCE


EVENT_MODELS: Dict[str, Type[EventModel]] = {
    PROFILE_UPDATED: ProfileUpdated,
    ORDER_STATUS_CHANGED: OrderStatusChanged,
    TICKET_UPDATED: TicketUpdated,
    CONSENT_CHANGED: ConsentChanged,
}


def parse_event(body: bytes) -> Tuple[EventEnvelope, EventModel]:
    """The validated envelope and its typed `data`; `WebhookRejected` (400/422) otherwise."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise WebhookRejected(400, MALFORMED_JSON, f"the body is not JSON: {error}") from error
    try:
        envelope = EventEnvelope.parse_obj(document)
    except ValidationError as error:
        raise _invalid(error, "the event envelope") from error
    try:
        payload = EVENT_MODELS[envelope.type].parse_obj(envelope.data)
    except ValidationError as error:
        raise _invalid(error, f"the data of a {envelope.type} event", ("data",)) from error
    return envelope, payload


def _invalid(error: ValidationError, what: str, prefix: Tuple[str, ...] = ()) -> WebhookRejected:
    """A 422 listing each problem with its full path, e.g. ["data", "status"]."""
    details = [
        {"loc": [*prefix, *entry["loc"]], "msg": entry["msg"], "type": entry["type"]}
        for entry in error.errors()
    ]
    return WebhookRejected(422, VALIDATION_ERROR, f"{what} does not match its schema", details)
