"""Phone numbers to E.164 (`+4915123456789`), from national or international notation.

A deliberately small normaliser instead of a full numbering database: it knows each supported
country's calling code, trunk prefix and the length range of its national significant numbers,
which is enough to turn what customers type into one comparable form.
"""

import re
from dataclasses import dataclass
from typing import Dict, Optional


@dataclass(frozen=True)
class NumberingPlan:
    """How a country's numbers are written: `+<calling_code><nsn>` or `<trunk><nsn>`."""

    calling_code: str
    trunk_prefix: str  # "" when national numbers are dialled without one (ES, IT, PL, ...)
    min_length: int  # of the national significant number (without trunk prefix)
    max_length: int


PLANS: Dict[str, NumberingPlan] = {
    "AT": NumberingPlan("43", "0", 4, 13),
    "BE": NumberingPlan("32", "0", 8, 9),
    "CA": NumberingPlan("1", "1", 10, 10),
    "CH": NumberingPlan("41", "0", 9, 9),
    "DE": NumberingPlan("49", "0", 6, 11),
    "DK": NumberingPlan("45", "", 8, 8),
    "ES": NumberingPlan("34", "", 9, 9),
    "FI": NumberingPlan("358", "0", 5, 12),
    "FR": NumberingPlan("33", "0", 9, 9),
    "GB": NumberingPlan("44", "0", 9, 10),
    "IE": NumberingPlan("353", "0", 7, 9),
    "IT": NumberingPlan("39", "", 6, 11),
    "NL": NumberingPlan("31", "0", 9, 9),
    "NO": NumberingPlan("47", "", 8, 8),
    "PL": NumberingPlan("48", "", 9, 9),
    "PT": NumberingPlan("351", "", 9, 9),
    "SE": NumberingPlan("46", "0", 7, 9),
    "US": NumberingPlan("1", "1", 10, 10),
}

# The plan used for an international number, by calling code (+1 is read with the US plan).
PLANS_BY_CODE: Dict[str, NumberingPlan] = {
    plan.calling_code: plan for _, plan in sorted(PLANS.items())
}

E164_MAX_DIGITS = 15
E164_MIN_DIGITS = 8
_ALLOWED = re.compile(r"\+?[\d\s().\-/]+", re.ASCII)
_NATIONAL_ZERO = re.compile(r"\(0\)")  # "+44 (0)20 ..." - the trunk zero written in brackets
_NON_DIGITS = re.compile(r"\D", re.ASCII)
_NANP = re.compile(r"[2-9]\d{2}[2-9]\d{6}", re.ASCII)


class PhoneNumberError(ValueError):
    """The text is not a phone number this normaliser can read."""


def to_e164(text: str, country: Optional[str]) -> str:
    """Returns `text` as an E.164 number, reading national numbers with `country`'s plan.

    Raises:
        PhoneNumberError: the text has letters, the wrong number of digits, or is national
            notation for a country without a known plan.

    """
    text = text.strip()
    if not _ALLOWED.fullmatch(text):
        raise PhoneNumberError(f"not a phone number: {text!r}")
    international = text.startswith("+")
    digits = _NON_DIGITS.sub("", _NATIONAL_ZERO.sub("", text))
    if not international and digits.startswith("00"):
        international, digits = True, digits[2:]
    elif not international and country in ("US", "CA") and digits.startswith("011"):
        international, digits = True, digits[3:]
    if international:
        return _international(digits, text)
    plan = PLANS.get(country or "")
    if plan is None:
        raise PhoneNumberError(
            f"national number {text!r} for a country without a known numbering plan "
            f"({country or 'none'}); write it as +<country code>..."
        )
    nsn = digits
    if plan.trunk_prefix and nsn.startswith(plan.trunk_prefix):
        nsn = nsn[len(plan.trunk_prefix) :]
    if _fits(plan, nsn):
        return f"+{plan.calling_code}{nsn}"
    # "49 151 23456789": the country code written without its plus sign.
    if digits.startswith(plan.calling_code) and _fits(plan, digits[len(plan.calling_code) :]):
        return f"+{digits}"
    raise PhoneNumberError(
        f"{text!r} does not have the {_length_text(plan)} digits of a {country} number"
    )


def _international(digits: str, text: str) -> str:
    for width in (3, 2, 1):
        plan = PLANS_BY_CODE.get(digits[:width])
        if plan is None:
            continue
        nsn = digits[width:]
        if plan.trunk_prefix == "0" and nsn.startswith("0"):
            nsn = nsn[1:]  # "+49 0151 ..." - a trunk zero kept by mistake
        if not _fits(plan, nsn):
            raise PhoneNumberError(
                f"{text!r} does not have the {_length_text(plan)} digits after "
                f"+{plan.calling_code}"
            )
        return f"+{plan.calling_code}{nsn}"
    if not E164_MIN_DIGITS <= len(digits) <= E164_MAX_DIGITS:
        raise PhoneNumberError(
            f"{text!r} has {len(digits)} digits; international numbers have "
            f"{E164_MIN_DIGITS}-{E164_MAX_DIGITS}"
        )
    return f"+{digits}"


def _fits(plan: NumberingPlan, nsn: str) -> bool:
    if not plan.min_length <= len(nsn) <= plan.max_length:
        return False
    return plan.calling_code != "1" or bool(_NANP.fullmatch(nsn))


def _length_text(plan: NumberingPlan) -> str:
    if plan.min_length == plan.max_length:
        return str(plan.min_length)
    return f"{plan.min_length}-{plan.max_length}"
