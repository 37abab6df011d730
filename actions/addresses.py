"""Plausibility checks for postal addresses typed into the chat."""

import re
from typing import Optional

MIN_ADDRESS_LENGTH = 10
MAX_ADDRESS_LENGTH = 200


def normalize_address(text: Optional[str]) -> Optional[str]:
    """Returns the address with whitespace tidied, or None if it can't be a full address.

    A deliverable address needs letters (street, city) and at least one digit (house number or
    postcode); this catches "yes", "my house" and pasted garbage without rejecting foreign formats.
    """
    if not text:
        return None
    address = re.sub(r"\s+", " ", text).strip(" ,.")
    if not MIN_ADDRESS_LENGTH <= len(address) <= MAX_ADDRESS_LENGTH:
        return None
    if not re.search(r"\d", address) or len(re.findall(r"[^\W\d_]", address)) < 5:
        return None
    return address
