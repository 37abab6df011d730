"""Converters for export fields: text in, canonical value out, FieldError with the reason.

Factories build converters for closed vocabularies and identifier formats; the field-specific
ones (status history, identity ids) live here too. Plain parsers come from `normalize`.
"""

import re
from datetime import datetime
from typing import Callable, Iterable, Tuple

from customer_data import models
from customer_data.ingest import formats, normalize
from customer_data.ingest.normalize import FieldError
from customer_data.ingest.phones import PhoneNumberError, to_e164
from customer_data.ingest.validation import Values

_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{6,14}$", re.ASCII)
_WEB_ID = re.compile(r"^\S{1,254}$", re.ASCII)
_INTENT = re.compile(r"^[a-z][a-z0-9_]{0,63}$", re.ASCII)


def identifier(pattern: str, example: str) -> Callable[[str], str]:
    """An upper-case business key such as `C0001234`, matching `pattern`."""
    compiled = re.compile(pattern, re.ASCII)

    def convert(text: str) -> str:
        if compiled.fullmatch(text):
            return text  # already canonical (the pattern admits no spaces or lower case)
        value = text.strip().upper()
        if not compiled.fullmatch(value):
            raise FieldError(f"malformed identifier {text.strip()!r} (expected like {example})")
        return value

    return convert


def vocabulary(allowed: Iterable[str]) -> Callable[[str], str]:
    """One of a closed set of lower-case words (any case and surrounding space accepted)."""
    words = tuple(allowed)
    allowed_set = frozenset(words)

    def convert(text: str) -> str:
        if text in allowed_set:
            return text
        value = text.strip().lower()
        if value not in allowed_set:
            raise FieldError(f"unknown value {text.strip()!r} (expected one of {', '.join(words)})")
        return value

    return convert


def currency(allowed: Iterable[str]) -> Callable[[str], str]:
    """An ISO 4217 code among `allowed` (upper-cased)."""
    allowed_set = frozenset(allowed)

    def convert(text: str) -> str:
        if text in allowed_set:
            return text
        value = text.strip().upper()
        if value not in allowed_set:
            raise FieldError(f"unsupported currency {text.strip()!r}")
        return value

    return convert


def text(max_length: int) -> Callable[[str], str]:
    """Free text with whitespace collapsed, at most `max_length` characters."""

    def convert(raw: str) -> str:
        value = normalize.collapse(raw)
        if len(value) > max_length:
            raise FieldError(f"longer than {max_length} characters")
        return value

    return convert


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """A whole number between `low` and `high` inclusive."""

    def convert(raw: str) -> int:
        value = normalize.parse_int(raw)
        if not low <= value <= high:
            raise FieldError(f"{value} is outside {low}-{high}")
        return value

    return convert


def phone(country_field: str) -> Callable[[str, Values], str]:
    """A phone number in E.164, reading national notation with the row's country (with_row)."""

    def convert(raw: str, values: Values) -> str:
        try:
            return to_e164(raw, values.get(country_field))
        except PhoneNumberError as error:
            raise FieldError(str(error)) from error

    return convert


CUSTOMER_ID = identifier(r"^C\d{7}$", "C0001234")
ORDER_ID = identifier(r"^ORD-\d{6,9}$", "ORD-583920")
TICKET_ID = identifier(r"^T-\d{7,9}$", "T-1234567")
REFUND_ID = identifier(r"^RF-\d{6,9}$", "RF-123456")
INVOICE_ID = identifier(r"^INV-\d{6,9}$", "INV-123456")
PAYMENT_ID = identifier(r"^PAY-\d{6,9}$", "PAY-123456")
SKU = identifier(r"^[A-Z0-9][A-Z0-9-]{1,31}$", "BC-1001")
COUNTRY = identifier(r"^[A-Z]{2}$", "DE")
CURRENCY = currency(models.CURRENCIES)
ORDER_STATUS = vocabulary(models.ORDER_STATUSES)
_ORDER_STATUS_SET = frozenset(models.ORDER_STATUSES)


def status_history(raw: str) -> Tuple[Tuple[str, datetime], ...]:
    """`status@timestamp|status@timestamp...` as (status, naive UTC datetime) pairs."""
    entries = []
    for part in raw.split(formats.HISTORY_SEPARATOR):
        status, separator, at = part.partition(formats.HISTORY_AT)
        if not separator:
            if part.strip():
                raise FieldError(f"entry {part.strip()!r} is not status@timestamp")
            continue
        if status not in _ORDER_STATUS_SET:  # tolerate spacing and case, at a slower pace
            status = ORDER_STATUS(status)
        entries.append((status, normalize.parse_timestamp(at)))
    return tuple(entries)


def external_id(raw: str, values: Values) -> str:
    """An identity's id in its channel's canonical form (e-mail, E.164, Slack id; with_row)."""
    channel = values.get("channel")
    value = raw.strip()
    if channel == "email":
        return normalize.normalize_email(value)
    if channel == "phone":
        try:
            return to_e164(value, None)
        except PhoneNumberError as error:
            raise FieldError(f"{error} (phone identities need +<country code>)") from error
    if channel == "slack":
        value = value.upper()
        if not _SLACK_USER.fullmatch(value):
            raise FieldError(f"not a Slack user id: {raw.strip()!r}")
        return value
    if channel == "crm":
        return CUSTOMER_ID(value)
    if not _WEB_ID.fullmatch(value):
        raise FieldError("must be 1-254 characters without spaces")
    return value


def intent(raw: str) -> str:
    """An intent name (snake_case)."""
    value = raw.strip().lower()
    if not _INTENT.fullmatch(value):
        raise FieldError(f"not an intent name: {raw.strip()!r}")
    return value
