"""Every error leaves the API as `schemas.ErrorOut` JSON: a stable code, a message, details.

Service exceptions are translated here, at the boundary: `NotFound` → 404, `RuleViolation` →
409 with the rule's reason. Validation errors (including a body that is not JSON) → 422 with
the offending fields; anything unexpected → 500 with no stack trace (it goes to the log).
"""

import logging
from typing import Any, Dict, List, Optional

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from customer_data.orders_service import NotFound, RuleViolation
from customer_data.schemas import ErrorOut

logger = logging.getLogger(__name__)

# Error codes, named once (clients switch on these, not on messages).
UNAUTHORIZED = "unauthorized"
FORBIDDEN = "forbidden"
NOT_FOUND = "not_found"
METHOD_NOT_ALLOWED = "method_not_allowed"
RULE_VIOLATION = "rule_violation"
VALIDATION_ERROR = "validation_error"
MALFORMED_JSON = "malformed_json"
RATE_LIMITED = "rate_limited"
INTERNAL_ERROR = "internal_error"

CODES_BY_STATUS = {
    401: UNAUTHORIZED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    405: METHOD_NOT_ALLOWED,
    409: RULE_VIOLATION,
    422: VALIDATION_ERROR,
    429: RATE_LIMITED,
}
# FastAPI reports a body that is not JSON with this type (older versions: value_error.jsondecode).
JSON_DECODE_ERRORS = frozenset({"json_invalid", "value_error.jsondecode"})

# For the OpenAPI document: the errors every /api endpoint can answer with.
ERROR_RESPONSES: Dict[int, Dict[str, Any]] = {
    status: {"model": ErrorOut, "description": code.replace("_", " ")}
    for status, code in CODES_BY_STATUS.items()
    if status != 405
}


class ApiError(Exception):
    """An error response decided by the API layer itself (auth, rate limit, input checks)."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        details: Optional[List[Any]] = None,
        headers: Optional[Dict[str, str]] = None,
    ) -> None:
        """The response's status, `error` code, message, optional details and headers."""
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers


def invalid_field(location: List[str], message: str) -> ApiError:
    """A 422 shaped like FastAPI's own validation errors, for checks done in code."""
    return ApiError(
        422,
        VALIDATION_ERROR,
        "the request is not valid",
        [{"loc": location, "msg": message, "type": "value_error"}],
    )


def error_response(
    status_code: int,
    code: str,
    message: str,
    details: Optional[List[Any]] = None,
    headers: Optional[Dict[str, str]] = None,
) -> JSONResponse:
    """The JSON response of one error."""
    body = ErrorOut(error=code, message=message, details=details)
    return JSONResponse(
        jsonable_encoder(body, exclude_none=True), status_code=status_code, headers=headers
    )


async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
    return error_response(
        error.status_code, error.code, error.message, error.details, error.headers
    )


async def _not_found(_request: Request, error: NotFound) -> JSONResponse:
    return error_response(404, NOT_FOUND, str(error))


async def _rule_violation(_request: Request, error: RuleViolation) -> JSONResponse:
    return error_response(409, RULE_VIOLATION, error.reason)


async def _validation(_request: Request, error: RequestValidationError) -> JSONResponse:
    details = jsonable_encoder(error.errors())
    if any(detail.get("type") in JSON_DECODE_ERRORS for detail in details):
        return error_response(422, MALFORMED_JSON, "the request body is not valid JSON", details)
    return error_response(422, VALIDATION_ERROR, "the request is not valid", details)


async def _http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
    code = CODES_BY_STATUS.get(error.status_code, f"http_{error.status_code}")
    if isinstance(error.detail, str):
        message, details = error.detail, None
    else:
        message, details = code.replace("_", " "), [jsonable_encoder(error.detail)]
    headers = getattr(error, "headers", None)
    return error_response(error.status_code, code, message, details, headers)


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    logger.exception("Unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, INTERNAL_ERROR, "internal server error")


def install_error_handlers(app: FastAPI) -> None:
    """Registers the handlers that turn every error into `ErrorOut` JSON."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(RuleViolation, _rule_violation)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
