"""Recognise and normalise the shop's order numbers, whatever way a customer writes them."""

import re
from typing import Optional

ORDER_PREFIX = "ORD-"
ORDER_DIGITS = 6

# "ORD-583920", "ord583920", "ORD 583920", "#583920", "no. 583920", "583 920", "583920".
_ORDER_NUMBER = re.compile(
    r"(?<![\w@.])(?:ord(?:er)?\s*[-#:]?\s*|no\.?\s*|#\s*)?(\d{3})[\s-]?(\d{3})(?![\w@])",
    re.IGNORECASE,
)


def normalize_order_id(text: Optional[str]) -> Optional[str]:
    """Returns the canonical `ORD-123456` form of the first order number in `text`, or None.

    Longer digit runs (phone numbers, card numbers) are not order numbers and give None.
    """
    if not text:
        return None
    match = _ORDER_NUMBER.search(text.strip())
    if not match:
        return None
    return f"{ORDER_PREFIX}{match.group(1)}{match.group(2)}"
