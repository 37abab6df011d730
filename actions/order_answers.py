"""How an order's live state is put into words: the response for its status and its values.

Responses live in `domain.yml` (conversation designers edit them; segment variations hang off
them); this module only picks one and fills in dates and amounts in one consistent format.
"""

from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Dict, Optional

from actions.formatting import amount, day
from customer_data.schemas import OrderOut

STATUS_RESPONSES = {
    "pending": "utter_order_status_preparing",
    "processing": "utter_order_status_preparing",
    "shipped": "utter_order_status_shipped",
    "delivered": "utter_order_status_delivered",
    "cancelled": "utter_order_status_cancelled",
    "returned": "utter_order_status_returned",
}
UTTER_OTHER_STATUS = "utter_order_status_other"
# Orders on their way; past their delivery estimate they are late.
IN_FLIGHT_STATUSES = frozenset({"pending", "processing", "shipped"})
UNKNOWN_ESTIMATE = "within the next few working days"
UNKNOWN_DAY = "recently"


def format_day(value: Optional[Any]) -> Optional[str]:
    """A date (or datetime) as "5 May 2024" (`actions.formatting.day`), or None."""
    return day(value) if value is not None else None


def format_money(value: Decimal, currency: str) -> str:
    """An amount with its currency, as "2.50 EUR"."""
    return f"{amount(value)} {currency}"


def today() -> date:
    """Today in UTC, the time zone of every date the service returns."""
    return datetime.now(timezone.utc).date()


def status_response(order: OrderOut) -> str:
    """The response that describes an order in its current status."""
    return STATUS_RESPONSES.get(order.status, UTTER_OTHER_STATUS)


def is_late(order: OrderOut, on: Optional[date] = None) -> bool:
    """Whether an order still on its way has passed its delivery estimate."""
    estimate = order.delivery_estimate
    return (
        order.status in IN_FLIGHT_STATUSES and estimate is not None and estimate < (on or today())
    )


def _changed_to(order: OrderOut, status: str) -> Optional[datetime]:
    """When the order last entered `status`, from its history."""
    times = [change.at for change in order.status_history if change.status == status]
    return max(times) if times else None


def _when(value: Optional[Any]) -> str:
    """The day as "on 5 May 2024", or "recently" when it isn't recorded."""
    day = format_day(value)
    return f"on {day}" if day else UNKNOWN_DAY


def status_values(order: OrderOut) -> Dict[str, Any]:
    """The variables the status responses use."""
    estimate = format_day(order.delivery_estimate)
    return {
        "order_id": order.id,
        "status": order.status,
        "placed_on": format_day(order.placed_at),
        "arrival": f"by {estimate}" if estimate else UNKNOWN_ESTIMATE,
        "shipped_when": _when(_changed_to(order, "shipped")),
        "delivered_when": _when(order.delivered_at or _changed_to(order, "delivered")),
        "cancelled_when": _when(_changed_to(order, "cancelled")),
    }
