"""Time in the demo generator: epoch seconds, written as ISO 8601 UTC."""

from datetime import date, datetime, timedelta

MINUTE = 60
HOUR = 3600
DAY = 86400
EPOCH = datetime(1970, 1, 1)


def timestamp(seconds: int) -> str:
    """Epoch seconds as ISO 8601 UTC (`2026-10-30T14:05:09Z`)."""
    return datetime.utcfromtimestamp(seconds).isoformat() + "Z"


def day_of(seconds: int) -> date:
    """The UTC calendar date of epoch seconds."""
    return (EPOCH + timedelta(seconds=seconds)).date()


def epoch_seconds(day: date) -> int:
    """Midnight UTC of `day` in epoch seconds."""
    return int((datetime(day.year, day.month, day.day) - EPOCH).total_seconds())


def add_working_days(start: date, days: int) -> date:
    """`start` plus `days` Monday-to-Friday days."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current
