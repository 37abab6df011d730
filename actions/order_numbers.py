"""Recognise and normalise the shop's order numbers, whatever way a customer writes them."""

import re
from typing import Optional

ORDER_PREFIX = "ORD-"
ORDER_DIGITS = 6

# A run of digit groups separated by single spaces or dashes ("583 920", "44 7700 900123"),
# optionally after the shop's prefix or a "#"/"no." marker. The whole run is taken, so a phone or
# card number is seen as one long number rather than yielding a six-digit tail.
_NUMBER_RUN = re.compile(
    r"(?<![\w@.+])(?:(?:ord(?:er)?\s*[-#:]?\s*)|(?:no\.?\s*)|(?:#\s*))?"
    r"(?P<digits>\d+(?:[ -]\d+)*)(?![\w@])",
    re.IGNORECASE,
)


def normalize_order_id(text: Optional[str]) -> Optional[str]:
    """Returns the canonical `ORD-123456` form of the first order number in `text`, or None.

    Digit runs of any other length (phone numbers, card numbers, postcodes) are not order numbers.
    """
    if not text:
        return None
    for match in _NUMBER_RUN.finditer(text):
        digits = re.sub(r"\D", "", match.group("digits"))
        if len(digits) == ORDER_DIGITS:
            return f"{ORDER_PREFIX}{digits}"
    return None
