"""How amounts, dates and record lists read in the assistant's answers."""

from datetime import date, datetime
from decimal import Decimal
from typing import Union

CENT = Decimal("0.01")
LIST_BULLET = "• "


def amount(value: Decimal) -> str:
    """An amount with two decimals ("59.90"); the currency goes next to it in the response."""
    return str(Decimal(value).quantize(CENT))


def day(value: Union[date, datetime]) -> str:
    """A date as customers read it: "6 June 2024"."""
    return f"{value.day} {value:%B %Y}"


def bullet_list(lines: list) -> str:
    """One bulleted line per entry, for a response variable that lists records."""
    return "\n".join(LIST_BULLET + line for line in lines)
