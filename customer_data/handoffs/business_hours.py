"""When agents are at work: a weekly schedule in the shop's time zone, parsed from settings.

The schedule is written the way people say it, e.g. `mon-fri 08:00-20:00; sat 09:00-17:00`, so
operations can change it in an environment variable. A malformed schedule is refused at start-up
with the offending part named, never half-understood.
"""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Dict, List, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ENTRY = re.compile(
    r"^(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+"
    r"(?P<open>\d{1,2}:\d{2})-(?P<close>\d{1,2}:\d{2})$"
)
_SEARCH_DAYS = 8  # a week plus one: enough to find the next opening of any non-empty schedule


class ScheduleError(ValueError):
    """The business-hours setting cannot be understood."""


def _clock(text: str, entry: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours == 24 and minutes == 0:
        return time.max
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise ScheduleError(f"{text!r} in {entry!r} is not a time of day")
    return time(hours, minutes)


def parse_schedule(text: str) -> Dict[int, List[Tuple[time, time]]]:
    """Maps weekday (0 = Monday) to its opening intervals; raises `ScheduleError`."""
    schedule: Dict[int, List[Tuple[time, time]]] = {day: [] for day in range(7)}
    entries = [part.strip().lower() for part in re.split(r"[;,]", text) if part.strip()]
    if not entries:
        raise ScheduleError("the schedule is empty: give e.g. 'mon-fri 08:00-20:00'")
    for entry in entries:
        match = _ENTRY.match(entry)
        if not match or match["first"] not in DAYS or (match["last"] or "mon") not in DAYS:
            raise ScheduleError(f"{entry!r} is not like 'mon-fri 08:00-20:00'")
        opens, closes = _clock(match["open"], entry), _clock(match["close"], entry)
        if opens >= closes:
            raise ScheduleError(f"{entry!r} closes before it opens")
        first = DAYS.index(match["first"])
        last = DAYS.index(match["last"] or match["first"])
        if last < first:
            raise ScheduleError(f"{entry!r}: the day range runs backwards")
        for day in range(first, last + 1):
            schedule[day].append((opens, closes))
    return schedule


@dataclass(frozen=True)
class BusinessHours:
    """Whether agents are working at a moment, and when they next start."""

    schedule: Dict[int, List[Tuple[time, time]]]
    zone: ZoneInfo

    @classmethod
    def parse(cls, schedule: str, time_zone: str) -> "BusinessHours":
        """From settings text; raises `ScheduleError` for a bad schedule or zone."""
        try:
            zone = ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ScheduleError(f"unknown time zone {time_zone!r}") from error
        return cls(parse_schedule(schedule), zone)

    def _local(self, at_utc: datetime) -> datetime:
        return at_utc.replace(tzinfo=ZoneInfo("UTC")).astimezone(self.zone)

    def is_open(self, at_utc: datetime) -> bool:
        """Whether `at_utc` (naive UTC) falls in an opening interval."""
        local = self._local(at_utc)
        moment = local.time()
        return any(opens <= moment < closes for opens, closes in self.schedule[local.weekday()])

    def next_opening(self, at_utc: datetime) -> datetime:
        """The naive-UTC start of the next opening interval after `at_utc` (itself if open)."""
        if self.is_open(at_utc):
            return at_utc
        local = self._local(at_utc)
        for offset in range(_SEARCH_DAYS):
            day = (local + timedelta(days=offset)).date()
            for opens, _closes in sorted(self.schedule[day.weekday()]):
                start = datetime.combine(day, opens, tzinfo=self.zone)
                if start > local:
                    return start.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
        raise ScheduleError("the schedule has no opening hours at all")
