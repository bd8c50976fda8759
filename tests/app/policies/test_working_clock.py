"""The working-hours clock: weekends, Swedish holidays and eves, office hours and DST."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import holidays
import pytest

from app.policies import clock
from app.policies.clock import add_working_hours, is_overdue, is_working_day, non_working_reason

STOCKHOLM = ZoneInfo("Europe/Stockholm")
OFFICE = (time(8, 0), time(17, 0))


def sthlm(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def test_friday_afternoon_plus_48_hours_is_tuesday_afternoon() -> None:
    due = add_working_hours(sthlm(2025, 3, 14, 15, 0), 48)
    assert due == sthlm(2025, 3, 18, 15, 0)
    assert due.tzinfo is UTC


def test_dst_spring_forward_last_sunday_of_march() -> None:
    # 30 March 2025 clocks go from 02:00 CET to 03:00 CEST.  The due time is
    # still 15:00 on the wall clock, which is an hour earlier in UTC than a
    # naive "UTC + 4 days" would give.
    due = add_working_hours(sthlm(2025, 3, 28, 15, 0), 48)
    assert due == datetime(2025, 4, 1, 13, 0, tzinfo=UTC)
    assert due.astimezone(STOCKHOLM).hour == 15


def test_dst_fall_back_last_sunday_of_october() -> None:
    # 26 October 2025 clocks go from 03:00 CEST back to 02:00 CET.
    due = add_working_hours(sthlm(2025, 10, 24, 15, 0), 48)
    assert due == datetime(2025, 10, 28, 14, 0, tzinfo=UTC)
    assert due.astimezone(STOCKHOLM).hour == 15


def test_office_hours_across_dst() -> None:
    due = add_working_hours(sthlm(2025, 3, 28, 16, 0), 2, office_hours=OFFICE)
    assert due == datetime(2025, 3, 31, 7, 0, tzinfo=UTC)  # 09:00 CEST on Monday


@pytest.mark.parametrize(
    ("start", "hours", "due", "why"),
    [
        # Easter 2025: långfredag 18 April, annandag påsk 21 April.
        (sthlm(2025, 4, 17, 10, 0), 24, sthlm(2025, 4, 22, 10, 0), "Easter"),
        # Christmas 2025: julafton 24, juldagen 25, annandag jul 26 December.
        (sthlm(2025, 12, 23, 12, 0), 24, sthlm(2025, 12, 29, 12, 0), "Christmas"),
        # New Year: nyårsafton 31 December, nyårsdagen 1 January.
        (sthlm(2025, 12, 30, 12, 0), 24, sthlm(2026, 1, 2, 12, 0), "New Year"),
        # Midsummer 2025: midsommarafton Friday 20 June.
        (sthlm(2025, 6, 19, 8, 0), 24, sthlm(2025, 6, 23, 8, 0), "Midsummer"),
        # Sveriges nationaldag, Friday 6 June 2025.
        (sthlm(2025, 6, 5, 12, 0), 24, sthlm(2025, 6, 9, 12, 0), "National Day"),
        # Kristi himmelsfärdsdag, Thursday 29 May 2025.
        (sthlm(2025, 5, 28, 12, 0), 24, sthlm(2025, 5, 30, 12, 0), "Ascension"),
        # Trettondedag jul, Tuesday 6 January 2026.
        (sthlm(2026, 1, 5, 12, 0), 24, sthlm(2026, 1, 7, 12, 0), "Epiphany"),
    ],
)
def test_holidays_do_not_count(start: datetime, hours: float, due: datetime, why: str) -> None:
    assert add_working_hours(start, hours) == due, why


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2025, 4, 18), "Långfredagen"),
        (date(2025, 4, 21), "Annandag påsk"),
        (date(2025, 6, 6), "Nationaldagen"),
        (date(2025, 12, 24), "Julafton"),
        (date(2025, 12, 31), "Nyårsafton"),
        (date(2025, 6, 20), "Midsommarafton"),
        (date(2025, 3, 15), "lördag"),
        (date(2025, 3, 16), "söndag"),
        (date(2025, 3, 14), None),
    ],
)
def test_non_working_reason_is_in_swedish(day: date, reason: str | None) -> None:
    assert non_working_reason(day) == reason
    assert is_working_day(day) is (reason is None)


@pytest.mark.parametrize(
    "eve", [date(2024, 6, 21), date(2025, 6, 20), date(2026, 6, 19), date(2027, 6, 25), date(2030, 6, 21)]
)
def test_midsummer_eve_is_the_friday_between_19_and_25_june(eve: date) -> None:
    assert eve.weekday() == 4
    assert non_working_reason(eve) == "Midsommarafton"
    assert is_working_day(date(eve.year, 6, 18)) == (date(eve.year, 6, 18).weekday() < 5)


def test_a_holidays_version_that_lists_sundays_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = add_working_hours(sthlm(2025, 4, 17, 10, 0), 30)
    monkeypatch.setattr(clock.holidays, "Sweden", functools.partial(holidays.Sweden, include_sundays=True))
    clock._closed_days.cache_clear()
    try:
        assert add_working_hours(sthlm(2025, 4, 17, 10, 0), 30) == expected
        assert non_working_reason(date(2025, 3, 16)) == "söndag"
        assert is_working_day(date(2025, 3, 17))
    finally:
        clock._closed_days.cache_clear()


def test_start_on_a_weekend_counts_from_the_next_working_day() -> None:
    assert add_working_hours(sthlm(2025, 3, 15, 10, 0), 1) == sthlm(2025, 3, 17, 1, 0)
    assert add_working_hours(sthlm(2025, 3, 15, 10, 0), 0) == sthlm(2025, 3, 17, 0, 0)
    assert add_working_hours(sthlm(2025, 3, 15, 10, 0), 0, office_hours=OFFICE) == sthlm(2025, 3, 17, 8, 0)


def test_office_hours_only_count_the_window() -> None:
    # Friday 16:00 + 2 office hours: one on Friday, one on Monday morning.
    assert add_working_hours(sthlm(2025, 3, 14, 16, 0), 2, office_hours=OFFICE) == sthlm(2025, 3, 17, 9, 0)
    # Before opening counts from opening; a full day ends at closing, not the next morning.
    assert add_working_hours(sthlm(2025, 3, 17, 6, 0), 1, office_hours=OFFICE) == sthlm(2025, 3, 17, 9, 0)
    assert add_working_hours(sthlm(2025, 3, 17, 8, 0), 9, office_hours=OFFICE) == sthlm(2025, 3, 17, 17, 0)
    # After closing counts from the next morning.
    assert add_working_hours(sthlm(2025, 3, 17, 20, 0), 0.5, office_hours=OFFICE) == sthlm(2025, 3, 18, 8, 30)
    # 48 office hours from Friday 15:00: 2 on Friday, 45 in the next week, 1 on the Monday after.
    assert add_working_hours(sthlm(2025, 3, 14, 15, 0), 48, office_hours=OFFICE) == sthlm(2025, 3, 24, 9, 0)


def test_office_hours_skip_holidays_too() -> None:
    assert add_working_hours(sthlm(2025, 12, 23, 16, 0), 2, office_hours=OFFICE) == sthlm(2025, 12, 29, 9, 0)


def test_start_given_in_utc_is_read_in_stockholm_time() -> None:
    # Saturday 22:30 UTC in winter is already Saturday 23:30 in Stockholm: closed.
    assert add_working_hours(datetime(2025, 3, 15, 22, 30, tzinfo=UTC), 1) == sthlm(2025, 3, 17, 1, 0)
    # Sunday 23:30 UTC is Monday 00:30 in Stockholm: open.
    assert add_working_hours(datetime(2025, 3, 16, 23, 30, tzinfo=UTC), 1) == sthlm(2025, 3, 17, 1, 30)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_hours(datetime(2025, 3, 14, 15, 0), 1)
    with pytest.raises(ValueError, match="finite number"):
        add_working_hours(sthlm(2025, 3, 14, 15, 0), -1)
    with pytest.raises(ValueError, match="finite number"):
        add_working_hours(sthlm(2025, 3, 14, 15, 0), float("nan"))
    with pytest.raises(ValueError, match="at most"):
        add_working_hours(sthlm(2025, 3, 14, 15, 0), 1e9)
    with pytest.raises(ValueError, match="open before they close"):
        add_working_hours(sthlm(2025, 3, 14, 15, 0), 1, office_hours=(time(17), time(8)))


def test_is_overdue() -> None:
    due = add_working_hours(sthlm(2025, 3, 14, 15, 0), 48)
    assert not is_overdue(due, sthlm(2025, 3, 18, 14, 59))
    assert not is_overdue(due, due)
    assert is_overdue(due, sthlm(2025, 3, 18, 15, 1))
    assert not is_overdue(None, sthlm(2030, 1, 1))
    assert is_overdue(datetime(2000, 1, 1, tzinfo=UTC))
    assert not is_overdue(datetime(2999, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="timezone-aware"):
        is_overdue(due, datetime(2025, 3, 18, 16, 0))
