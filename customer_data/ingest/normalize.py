"""Field normalisers: text as a CRM exports it in, one canonical value out (or a ValueError).

Each parser raises `FieldError` with a message meant for the quarantine file; the validation layer
prefixes the field name. Regular expressions are compiled once: these run for every row.
"""

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal

MAX_EMAIL_LENGTH = 254
MAX_LOCAL_PART_LENGTH = 64
EARLIEST_YEAR = 1970
LATEST_YEAR = 2100
MAX_OFFSET_MINUTES = 14 * 60
UTC_TIMESTAMP_LENGTH = len("2026-10-30T14:05:09Z")
DATE_LENGTH = len("2026-10-30")
# Lower-case name particles that stay lower-case inside a name ("Ludwig van Beethoven").
NAME_PARTICLES = frozenset({"van", "von", "der", "den", "de", "du", "da", "di", "del", "la", "le"})
TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0"})

_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    re.ASCII,
)
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE | re.ASCII,
)
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_MONEY = re.compile(r"^[+-]?\d{1,10}(?:\.\d+)?$", re.ASCII)
_INTEGER = re.compile(r"^[+-]?\d{1,9}$", re.ASCII)
_NAME_PARTS = re.compile(r"([-'\u2019])")
_ADDRESS_COMMAS = re.compile(r"\s*,\s*")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


class FieldError(ValueError):
    """A value cannot be read; the message says why."""


def collapse(text: str) -> str:
    """Trims and collapses every run of whitespace (tabs, non-breaking spaces) to one space."""
    return " ".join(text.split())


def normalize_email(text: str) -> str:
    """A trimmed, lower-case e-mail address, or FieldError when it is not one."""
    email = text.strip().lower()
    local, _, _domain = email.partition("@")
    if (
        len(email) > MAX_EMAIL_LENGTH
        or len(local) > MAX_LOCAL_PART_LENGTH
        or not _EMAIL.fullmatch(email)
    ):
        raise FieldError(f"not a valid e-mail address: {text.strip()!r}")
    return email


def normalize_name(text: str) -> str:
    """Collapses whitespace; title-cases a name written all in capitals or all in lower case."""
    name = collapse(text)
    if not (name.isupper() or name.islower()):
        return name  # mixed case is the customer's own spelling ("McDonald", "de Vries")
    words = name.lower().split(" ")
    return " ".join(
        word if index and word in NAME_PARTICLES else _title_word(word)
        for index, word in enumerate(words)
    )


def _title_word(word: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in _NAME_PARTS.split(word))


def name_key(name: str) -> str:
    """The name without case, accents or punctuation, for comparing two spellings."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_ALNUM.sub(" ", stripped).split())


def normalize_address(text: str) -> str:
    """Collapses whitespace and writes every comma as ", "."""
    address = collapse(text)
    if address.count(",") == address.count(", ") and " ," not in address:
        return address.strip(", ")  # already canonical: skip the regular expression
    return _ADDRESS_COMMAS.sub(", ", address).strip(", ")


def parse_timestamp(text: str) -> datetime:
    """An ISO 8601 timestamp as a naive UTC datetime (no offset means UTC already)."""
    if len(text) == UTC_TIMESTAMP_LENGTH and text[19] == "Z" and text[10] == "T":
        # Fast path for the common `2026-10-30T14:05:09Z`; anything odd takes the full parser.
        try:
            value = datetime.fromisoformat(text[:19])
        except ValueError:
            pass
        else:
            if EARLIEST_YEAR <= value.year <= LATEST_YEAR:
                return value
    match = _TIMESTAMP.fullmatch(text.strip())
    if match is None:
        raise FieldError(f"not an ISO 8601 timestamp: {text.strip()!r}")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        value = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
        )
    except ValueError as error:
        raise FieldError(f"impossible date or time {text.strip()!r} ({error})") from error
    _check_year(value.year, text)
    if offset and offset.upper() != "Z":
        minutes = int(offset[1:3]) * 60 + int(offset[-2:])
        if minutes > MAX_OFFSET_MINUTES:
            raise FieldError(f"impossible UTC offset in {text.strip()!r}")
        value -= timedelta(minutes=minutes if offset[0] == "+" else -minutes)
    return value


def parse_date(text: str) -> date:
    """An ISO 8601 calendar date (YYYY-MM-DD)."""
    if len(text) == DATE_LENGTH and text[4] == "-" and text[7] == "-":
        try:  # fast path; anything odd takes the full parser, which explains the problem
            value = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if EARLIEST_YEAR <= value.year <= LATEST_YEAR:
                return value
    match = _DATE.fullmatch(text.strip())
    if match is None:
        raise FieldError(f"not an ISO 8601 date (YYYY-MM-DD): {text.strip()!r}")
    try:
        value = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as error:
        raise FieldError(f"impossible date {text.strip()!r} ({error})") from error
    _check_year(value.year, text)
    return value


def _check_year(year: int, text: str) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise FieldError(f"implausible year in {text.strip()!r}")


def parse_money(text: str) -> Decimal:
    """A non-negative amount with at most two decimal places."""
    value = text.strip()
    if not _MONEY.fullmatch(value):
        raise FieldError(f"not a decimal amount: {value!r}")
    if value.startswith("-") and value.strip("-0.") != "":
        raise FieldError(f"amount is negative: {value}")
    _, _, decimals = value.partition(".")
    if len(decimals) > 2:
        raise FieldError(f"more than two decimal places: {value}")
    return Decimal(value.lstrip("+-"))


def parse_int(text: str) -> int:
    """A whole number."""
    value = text.strip()
    if not _INTEGER.fullmatch(value):
        raise FieldError(f"not a whole number: {value!r}")
    return int(value)


def parse_bool(text: str) -> bool:
    """true/false, yes/no, 1/0 (any case)."""
    value = text.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise FieldError(f"not a yes/no value: {text.strip()!r}")
