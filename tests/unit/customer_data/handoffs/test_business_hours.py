from datetime import datetime, time

import pytest

from customer_data.handoffs.business_hours import BusinessHours, ScheduleError, parse_schedule

LONDON = "Europe/London"
HOURS = "mon-fri 08:00-20:00; sat 09:00-17:00"


def test_parses_day_ranges_and_single_days():
    schedule = parse_schedule("Mon-Wed 08:00-12:00, mon 13:00-17:30; sun 10:00-24:00")
    assert schedule[0] == [(time(8), time(12)), (time(13), time(17, 30))]
    assert schedule[2] == [(time(8), time(12))]
    assert schedule[3] == []
    assert schedule[6] == [(time(10), time.max)]


@pytest.mark.parametrize(
    "text, complaint",
    [
        ("", "empty"),
        ("weekdays 08:00-20:00", "not like"),
        ("mon-fri 8-20", "not like"),
        ("mon-fri 25:00-26:00", "not a time of day"),
        ("mon-fri 20:00-08:00", "closes before it opens"),
        ("fri-mon 08:00-20:00", "backwards"),
        ("mon-fry 08:00-20:00", "not like"),
    ],
)
def test_bad_schedules_are_refused_with_the_reason(text, complaint):
    with pytest.raises(ScheduleError, match=complaint):
        parse_schedule(text)


def test_unknown_time_zone_is_refused():
    with pytest.raises(ScheduleError, match="time zone"):
        BusinessHours.parse(HOURS, "Mars/Olympus")


def test_open_and_closed_in_local_time():
    hours = BusinessHours.parse(HOURS, LONDON)
    # 07:30 UTC in June is 08:30 in London (BST): open. In January it is 07:30 local: closed.
    assert hours.is_open(datetime(2024, 6, 17, 7, 30))
    assert not hours.is_open(datetime(2024, 1, 15, 7, 30))
    assert hours.is_open(datetime(2024, 6, 15, 12, 0))  # Saturday midday
    assert not hours.is_open(datetime(2024, 6, 16, 12, 0))  # Sunday


def test_next_opening_skips_the_closed_sunday():
    hours = BusinessHours.parse(HOURS, LONDON)
    saturday_evening = datetime(2024, 6, 15, 18, 0)  # 19:00 BST, closed since 17:00
    assert hours.next_opening(saturday_evening) == datetime(2024, 6, 17, 7, 0)  # Mon 08:00 BST
    open_now = datetime(2024, 6, 17, 9, 0)
    assert hours.next_opening(open_now) == open_now


def test_next_opening_later_the_same_day():
    hours = BusinessHours.parse("mon-fri 08:00-12:00, mon-fri 13:00-17:00", "UTC")
    assert hours.next_opening(datetime(2024, 6, 17, 12, 30)) == datetime(2024, 6, 17, 13, 0)
