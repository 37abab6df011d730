"""Replaces personal data (e-mail, phone, payment card, IBAN) in texts and serialized events.

Pure functions, no I/O: the tracker store applies them to every event before it is written. Card
numbers and IBANs are only replaced when their check digits are valid (Luhn, ISO 7064 mod 97), so
order numbers (ORD-583920), amounts and dates stay readable. Placeholders contain no digits and no
`@`, so redacting twice changes nothing.
"""

import re
from typing import Any, Collection, Dict, Iterable, Match, Optional

EMAIL_PLACEHOLDER = "[email]"
PHONE_PLACEHOLDER = "[phone]"
CARD_PLACEHOLDER = "[card]"
IBAN_PLACEHOLDER = "[iban]"
REDACTED_PLACEHOLDER = "[redacted]"
PLACEHOLDERS = frozenset(
    {EMAIL_PLACEHOLDER, PHONE_PLACEHOLDER, CARD_PLACEHOLDER, IBAN_PLACEHOLDER, REDACTED_PLACEHOLDER}
)

DEFAULT_REDACT_SLOTS = ("email", "phone_number", "shipping_address")

# Keys of a serialized event whose values are names, ids or numbers Rasa needs to replay the
# conversation; redacting them would only risk mangling an id that happens to look like a number.
KEEP_KEYS = frozenset(
    {
        "event",
        "timestamp",
        "name",
        "intent",
        "intent_ranking",
        "payload",
        "message_id",
        "input_channel",
        "policy",
        "confidence",
        "entity",
        "role",
        "group",
        "extractor",
        "start",
        "end",
        "utter_action",
    }
)

# Exact values shorter than this are not searched for in texts ("no" would match everywhere).
MIN_LITERAL_LENGTH = 4

EMAIL_PATTERN = re.compile(r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}")
# Greedy on purpose: a following word may be swallowed, `_iban` gives it back.
IBAN_PATTERN = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])"
)
# Issuer numbers never start with 0, which keeps national phone numbers ("0176 ...") out.
CARD_PATTERN = re.compile(r"(?<![\w+])[1-9](?:[ \-]?\d){12,18}(?!\w)")
# Digit groups split only at a space, a dash or an area code in brackets: "+49 (0)176 555-123".
_GROUPS = r"(?:(?:[ \-]|[ \-]?\(\d{1,5}\)[ \-]?)\d+)*"
PHONE_PATTERN = re.compile(
    r"(?<![\w.,/\-])"  # not the tail of an order number, a date or an amount
    r"(?:"
    rf"(?:\+|00)[1-9]\d*{_GROUPS}"  # international: +44 7700 900123, 0044 7700 900123
    rf"|0\d+{_GROUPS}"  # national with trunk prefix: 0176 55512345, 07700 900123
    rf"|\(0\d{{1,5}}\)[ \-]?\d+{_GROUPS}"  # (0176) 55512345
    r"|(?:\(\d{3}\) ?|\d{3}[ .\-])\d{3}[ .\-]\d{4}"  # North American: (555) 010-2233
    r")"
    r"(?!\w|[.,:/]\d)"  # not followed by more of a date, time or amount
)

INTERNATIONAL_DIGITS = range(8, 16)  # E.164 allows at most 15 digits
NATIONAL_DIGITS = range(9, 14)


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check used by payment cards."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def iban_valid(compact: str) -> bool:
    """Whether an IBAN without spaces has a plausible length and valid mod-97 check digits."""
    if not 15 <= len(compact) <= 34 or not compact.isalnum():
        return False
    rearranged = (compact[4:] + compact[:4]).upper()
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _iban(match: Match[str]) -> str:
    """The IBAN placeholder plus any words the pattern swallowed, or the text unchanged."""
    tokens = match.group().split(" ")
    for end in range(len(tokens), 0, -1):
        if iban_valid("".join(tokens[:end])):
            rest = " ".join(tokens[end:])
            return IBAN_PLACEHOLDER + (" " + rest if rest else "")
    return match.group()


def _card(match: Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return CARD_PLACEHOLDER if luhn_valid(digits) else match.group()


def _phone(match: Match[str]) -> str:
    text = match.group()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+") or text.startswith("00"):
        plausible = len(digits.removeprefix("00")) in INTERNATIONAL_DIGITS
    elif text.startswith(("0", "(0")):
        plausible = len(digits) in NATIONAL_DIGITS
    else:
        plausible = True  # the North American pattern fixes the number of digits
    return PHONE_PLACEHOLDER if plausible else text


def _redact_patterns(text: str) -> str:
    text = EMAIL_PATTERN.sub(EMAIL_PLACEHOLDER, text)
    text = IBAN_PATTERN.sub(_iban, text)
    text = CARD_PATTERN.sub(_card, text)
    return PHONE_PATTERN.sub(_phone, text)


def redact_text(text: str, literals: Iterable[str] = ()) -> str:
    """Replaces e-mail addresses, IBANs, card numbers and phone numbers with placeholders.

    Args:
        text: Any text, e.g. what a customer wrote.
        literals: Exact values known to be personal (e.g. a shipping address slot); what the
            patterns leave of them is replaced with `[redacted]` wherever it occurs.

    Returns:
        The text with every match replaced by its placeholder.

    """
    text = _redact_patterns(text)
    remains = {_redact_patterns(literal) for literal in literals}
    for remain in sorted(remains - PLACEHOLDERS, key=len, reverse=True):
        if len(remain) >= MIN_LITERAL_LENGTH:
            text = text.replace(remain, REDACTED_PLACEHOLDER)
    return text


def redact_value(value: Any, literals: Collection[str] = ()) -> Any:
    """A copy of a JSON-like value with every string redacted, except under `KEEP_KEYS`."""
    if isinstance(value, str):
        return redact_text(value, literals)
    if isinstance(value, int) and not isinstance(value, bool):
        # A card number extracted as a number is still a card number.
        redacted = redact_text(str(value))
        return value if redacted == str(value) else redacted
    if isinstance(value, list | tuple):
        return [redact_value(item, literals) for item in value]
    if isinstance(value, dict):
        return {
            key: item if key in KEEP_KEYS else redact_value(item, literals)
            for key, item in value.items()
        }
    return value


def _sensitive_entity_values(data: Dict[str, Any], redact_slots: Collection[str]) -> Iterable[str]:
    """Values of entities named like a contact slot, e.g. an `email` entity."""
    entities = list(data.get("entities") or [])
    parse_data = data.get("parse_data") or {}
    entities += parse_data.get("entities") or []
    for entity in entities:
        if entity.get("entity") in redact_slots and isinstance(entity.get("value"), str):
            yield entity["value"]


def redact_event_data(
    data: Dict[str, Any],
    redact_slots: Collection[str] = DEFAULT_REDACT_SLOTS,
    literals: Iterable[str] = (),
) -> Dict[str, Any]:
    """A redacted copy of a serialized event (`Event.as_dict()`); the input is not changed.

    Args:
        data: The event as Rasa serializes it.
        redact_slots: Slots holding contact data; a `SlotSet` of one of them stores
            `[redacted]` instead of its value, and entities of that name are redacted as a whole.
        literals: Exact personal values (e.g. the current contact slot values) to replace in
            every text of the event.

    Returns:
        The event with texts, entity values and contact slot values redacted.

    """
    known = set(literals)
    known.update(_sensitive_entity_values(data, redact_slots))
    redacted: Dict[str, Any] = redact_value(data, known)
    if redacted.get("event") == "slot" and redacted.get("name") in redact_slots:
        redacted["value"] = _redacted_slot_value(data.get("value"))
    return redacted


def _redacted_slot_value(value: Optional[Any]) -> Optional[Any]:
    """`None` stays `None`: a reset slot carries no personal data, and replay needs the reset."""
    return None if value is None else REDACTED_PLACEHOLDER
