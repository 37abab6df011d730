"""CRM webhooks: check the signature and timestamp, validate the event, apply it exactly once.

The CRM signs `f"{timestamp}."` + the raw body with HMAC-SHA256 and the shared secret
(`CRM_WEBHOOK_SECRET`). An event is applied in one transaction together with its `WebhookEvent`
row, so a rejected event writes nothing and a second delivery of the same id is refused as a
replay. Afterwards the affected customer's cached profile is invalidated.

This module holds the HTTP side (signature, route); the event models and `parse_event` live in
`customer_data.webhook_events`, `apply_event` in `customer_data.webhook_apply`.
"""

import hashlib
import hmac
import logging
import re
import time
from typing import Any, List, Mapping, Union

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import sessionmaker
from starlette.concurrency import run_in_threadpool

from customer_data.cache import CacheAside, profile_key
from customer_data.schemas import ErrorOut
from customer_data.webhook_apply import apply_event
from customer_data.webhook_events import EventEnvelope, WebhookRejected, parse_event

__all__ = [
    "MAX_BODY_BYTES",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "WEBHOOK_PATH",
    "EventEnvelope",
    "WebhookRejected",
    "apply_event",
    "parse_event",
    "receive_crm_event",
    "router",
    "sign",
    "verify_request",
]

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/crm"
TIMESTAMP_HEADER = "X-CRM-Timestamp"
SIGNATURE_HEADER = "X-CRM-Signature"
SIGNATURE_PREFIX = "sha256="
MAX_BODY_BYTES = 256 * 1024  # events are small; anything bigger is a mistake or an attack
TIMESTAMP_PATTERN = re.compile(r"[0-9]{1,12}")

# Error codes of the HTTP side (the API's own codes where the meaning is the same).
WEBHOOK_DISABLED = "webhook_disabled"
MISSING_SIGNATURE = "missing_signature"
INVALID_SIGNATURE = "invalid_signature"
INVALID_TIMESTAMP = "invalid_timestamp"
STALE_TIMESTAMP = "stale_timestamp"
PAYLOAD_TOO_LARGE = "payload_too_large"


def sign(secret: str, timestamp: Union[int, str], body: bytes) -> str:
    """The `X-CRM-Signature` header value for `body` sent at `timestamp` (unix seconds)."""
    message = f"{timestamp}.".encode() + body
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_request(
    secret: str, headers: Mapping[str, str], body: bytes, tolerance_seconds: int, now: float
) -> None:
    """Raises `WebhookRejected` unless `body` is signed with `secret` at a recent timestamp."""
    timestamp, signature = headers.get(TIMESTAMP_HEADER), headers.get(SIGNATURE_HEADER)
    if not timestamp or not signature:
        raise WebhookRejected(
            401, MISSING_SIGNATURE, f"send the {TIMESTAMP_HEADER} and {SIGNATURE_HEADER} headers"
        )
    expected = sign(secret, timestamp, body).encode()
    # Headers arrive latin-1 decoded; compare bytes in constant time.
    if not hmac.compare_digest(expected, signature.encode("latin-1")):
        raise WebhookRejected(
            401,
            INVALID_SIGNATURE,
            f"{SIGNATURE_HEADER} is not {SIGNATURE_PREFIX}<hex HMAC-SHA256 of "
            f"'<timestamp>.' + body> with the shared secret",
        )
    if not TIMESTAMP_PATTERN.fullmatch(timestamp):
        raise WebhookRejected(401, INVALID_TIMESTAMP, f"{TIMESTAMP_HEADER} must be unix seconds")
    age = int(now) - int(timestamp)
    if age > tolerance_seconds:
        raise WebhookRejected(
            401,
            STALE_TIMESTAMP,
            f"the event was signed {age} s ago (limit {tolerance_seconds} s)",
        )
    if -age > tolerance_seconds:
        raise WebhookRejected(
            401,
            STALE_TIMESTAMP,
            f"the timestamp is {-age} s in the future (limit {tolerance_seconds} s); "
            "check the sender's clock",
        )


def _apply_and_invalidate(
    session_factory: sessionmaker, profiles: CacheAside, envelope: EventEnvelope, payload: Any
) -> None:
    customer_id = apply_event(session_factory, envelope, payload)
    profiles.invalidate(profile_key(customer_id))


async def _read_body(request: Request) -> bytes:
    """The raw body, refusing more than `MAX_BODY_BYTES` without reading it all."""
    chunks: List[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise WebhookRejected(
                413, PAYLOAD_TOO_LARGE, f"the body exceeds {MAX_BODY_BYTES} bytes"
            )
        chunks.append(chunk)
    return b"".join(chunks)


router = APIRouter()

_ERRORS = {
    400: "The body is not JSON.",
    401: "Missing or invalid signature, or a stale timestamp.",
    404: "The event refers to an unknown customer, order or ticket.",
    409: "The event was already processed (replay), or conflicts with stored data.",
    413: "The body is too large.",
    422: "The event does not match its schema (see `details`).",
    503: "The webhook is disabled: CRM_WEBHOOK_SECRET is not set.",
}


@router.post(
    WEBHOOK_PATH,
    summary="Receive a signed CRM event",
    responses={
        status: {"model": ErrorOut, "description": text} for status, text in _ERRORS.items()
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": EventEnvelope.schema()}},
        }
    },
)
async def receive_crm_event(request: Request) -> JSONResponse:
    """Verifies, validates and applies one CRM event (see the module docstring)."""
    container = request.app.state.container
    settings = container.settings
    try:
        if not settings.webhook_secret:
            raise WebhookRejected(
                503, WEBHOOK_DISABLED, "set CRM_WEBHOOK_SECRET to enable the CRM webhook"
            )
        body = await _read_body(request)
        verify_request(
            settings.webhook_secret,
            request.headers,
            body,
            settings.webhook_tolerance_seconds,
            now=time.time(),
        )
        envelope, payload = parse_event(body)
        # Database and cache calls block; keep them off the event loop.
        await run_in_threadpool(
            _apply_and_invalidate,
            container.session_factory,
            container.profiles,
            envelope,
            payload,
        )
    except WebhookRejected as rejection:
        logger.info("CRM webhook rejected (%s): %s", rejection.code, rejection.message)
        return rejection.response()
    logger.info("CRM event %s (%s) applied", envelope.id, envelope.type)
    return JSONResponse({"status": "applied", "event_id": envelope.id})
