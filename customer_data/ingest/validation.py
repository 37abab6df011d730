"""Row validation: each field through its converter, then the checks that span fields.

A row is validated completely, so the quarantine file lists every problem of a row at once,
not only the first one found.
"""

import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from customer_data.ingest import normalize
from customer_data.ingest.normalize import FieldError
from customer_data.ingest.phones import PhoneNumberError, to_e164

Values = Dict[str, Any]
# A converter reads one field's text; it may look at fields converted before it (phone: country).
Converter = Callable[[str, Values], Any]
Check = Callable[[Values], Iterable[str]]

MISSING = "missing"


@dataclass(frozen=True)
class Field:
    """One column of an export: how to read it and where it is stored."""

    name: str
    convert: Converter
    required: bool = True
    column: Optional[str] = None  # table column; defaults to `name`
    default: Any = None  # value of an empty optional field
    stored: bool = True  # False: read and checked, but written by an extension

    @property
    def target(self) -> str:
        """The table column this field is written to."""
        return self.column or self.name


def validate_row(fields: Sequence[Field], checks: Sequence[Check], row: Dict[str, str]):
    """Converts `row` field by field and runs `checks`.

    Returns:
        (values, problems): converted values of the fields that could be read, and one message
        per problem (`field: why`). Checks only see fields that were read.

    """
    values: Values = {}
    problems: List[str] = []
    for field in fields:
        raw = row.get(field.name) or ""
        if not raw or raw.isspace():
            if field.required:
                problems.append(f"{field.name}: {MISSING}")
            else:
                values[field.name] = field.default
            continue
        try:
            values[field.name] = field.convert(raw, values)
        except FieldError as error:
            problems.append(f"{field.name}: {error}")
    for check in checks:
        problems.extend(check(values))
    return values, problems


# Converter factories -------------------------------------------------------------------------


def identifier(pattern: str, example: str) -> Converter:
    """An upper-case business key such as `C0001234`, matching `pattern`."""
    compiled = re.compile(pattern)

    def convert(text: str, _values: Values) -> str:
        value = text.strip().upper()
        if not compiled.match(value):
            raise FieldError(f"malformed identifier {text.strip()!r} (expected like {example})")
        return value

    return convert


def vocabulary(allowed: Iterable[str]) -> Converter:
    """One of a closed set of lower-case words (any case and surrounding space accepted)."""
    words = tuple(allowed)
    allowed_set = frozenset(words)

    def convert(text: str, _values: Values) -> str:
        value = text.strip().lower()
        if value not in allowed_set:
            raise FieldError(f"unknown value {text.strip()!r} (expected one of {', '.join(words)})")
        return value

    return convert


def currency(allowed: Iterable[str]) -> Converter:
    """An ISO 4217 code among `allowed` (upper-cased)."""
    allowed_set = frozenset(allowed)

    def convert(text: str, _values: Values) -> str:
        value = text.strip().upper()
        if value not in allowed_set:
            raise FieldError(f"unsupported currency {text.strip()!r}")
        return value

    return convert


def text(max_length: int) -> Converter:
    """Free text with whitespace collapsed, at most `max_length` characters."""

    def convert(raw: str, _values: Values) -> str:
        value = normalize.collapse(raw)
        if len(value) > max_length:
            raise FieldError(f"longer than {max_length} characters")
        return value

    return convert


def bounded_int(low: int, high: int) -> Converter:
    """A whole number between `low` and `high` inclusive."""

    def convert(raw: str, _values: Values) -> int:
        value = normalize.parse_int(raw)
        if not low <= value <= high:
            raise FieldError(f"{value} is outside {low}-{high}")
        return value

    return convert


def phone(country_field: str) -> Converter:
    """A phone number in E.164, reading national notation with the row's country."""

    def convert(raw: str, values: Values) -> str:
        try:
            return to_e164(raw, values.get(country_field))
        except PhoneNumberError as error:
            raise FieldError(str(error)) from error

    return convert


def plain(parse: Callable[[str], Any]) -> Converter:
    """Adapts a one-argument parser from `normalize` to a converter."""
    return lambda raw, _values: parse(raw)


EMAIL = plain(normalize.normalize_email)
NAME = plain(normalize.normalize_name)
ADDRESS = plain(normalize.normalize_address)
TIMESTAMP = plain(normalize.parse_timestamp)
DATE = plain(normalize.parse_date)
MONEY = plain(normalize.parse_money)
BOOLEAN = plain(normalize.parse_bool)


def fields_by_name(fields: Sequence[Field]) -> Dict[str, Field]:
    """Maps field names to fields."""
    return {field.name: field for field in fields}


def stored_columns(fields: Sequence[Field]) -> Tuple[Tuple[str, str], ...]:
    """(field name, column) of every field written to the entity's own table."""
    return tuple((field.name, field.target) for field in fields if field.stored)
