"""Row validation: each field through its converter, then the checks that span fields.

A row is validated completely, so the quarantine file lists every problem of a row at once,
not only the first one found.
"""

from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from customer_data.ingest.normalize import FieldError

Values = Dict[str, Any]
# A converter reads one field's text and raises FieldError when it cannot.
Converter = Callable[..., Any]
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
    with_row: bool = False  # convert(text, values so far): reads another field (phone: country)

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
    return RowValidator(fields, checks)(row)


class RowValidator:
    """`validate_row` for one set of fields, with the field attributes unpacked once."""

    def __init__(self, fields: Sequence[Field], checks: Sequence[Check]) -> None:
        """Validates rows against `fields`, then `checks`."""
        self._fields = tuple(
            (field.name, field.convert, field.required, field.default, field.with_row)
            for field in fields
        )
        self._checks = tuple(checks)

    def __call__(self, row: Dict[str, str]) -> Tuple[Values, List[str]]:
        values: Values = {}
        problems: List[str] = []
        for name, convert, required, default, with_row in self._fields:
            raw = row.get(name)
            if not raw or raw.isspace():
                if required:
                    problems.append(f"{name}: {MISSING}")
                else:
                    values[name] = default
                continue
            try:
                values[name] = convert(raw, values) if with_row else convert(raw)
            except FieldError as error:
                problems.append(f"{name}: {error}")
        for check in self._checks:
            problems.extend(check(values))
        return values, problems


def stored_columns(fields: Sequence[Field]) -> Tuple[Tuple[str, str], ...]:
    """(field name, column) of every field written to the entity's own table."""
    return tuple((field.name, field.target) for field in fields if field.stored)
