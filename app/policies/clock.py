"""The working-hours clock that due times are computed with.

The guidelines promise answers in *working* time: Finspång answers questions
"inom 48 timmar under arbetsdagar", Härjedalen "snarast under vardagar", and
every municipality monitors its accounts on working days only.  A due time
that ticked through weekends would put every Friday-afternoon question in the
overdue list on Monday morning, so time is only counted on working days.

What counts as a working day (Europe/Stockholm):

* Monday to Friday,
* except Swedish public holidays (allmänna helgdagar, lag 1989:253) as listed
  by the maintained ``holidays`` library (``holidays.Sweden``), and
* except julafton, nyårsafton and midsommarafton.  They are not public
  holidays in law, but the Annual Leave Act (semesterlag 1977:480, 7 §) treats
  them like Sundays and municipal offices are closed, so nobody moderates.
  We compute them ourselves rather than relying on the library's ``de_facto``
  category, so the rule does not depend on the installed library version.

Some versions of ``holidays.Sweden`` list every Sunday as a holiday.  That is
harmless here because weekends are excluded before holidays are consulted,
but it means the library's length or contents must never be used as a count
of holidays.

Two ways of counting are supported.  With ``office_hours=None`` all 24 hours
of a working day count, so "48 hours on working days" means two full working
days (the reading the presets use).  With office hours, e.g. 08:00–17:00,
only that window counts.  Arithmetic is done on real elapsed time between
instants converted from Stockholm wall-clock time, so due times are right
across the spring and autumn DST changes.
"""

from __future__ import annotations

import functools
import math
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

#: The time zone every Swedish municipality works in.
STOCKHOLM = ZoneInfo("Europe/Stockholm")

#: Refuse absurd durations instead of looping for years: ten years of hours.
_MAX_HOURS = 24 * 366 * 10

_WEEKDAY_NAMES_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def _midsummer_eve(year: int) -> date:
    """Midsommarafton is the Friday between 19 and 25 June (since 1953)."""
    june_19 = date(year, 6, 19)
    return june_19 + timedelta(days=(4 - june_19.weekday()) % 7)


@functools.lru_cache(maxsize=64)
def _closed_days(year: int) -> dict[date, str]:
    """Public holidays and the three eves of ``year``, with their Swedish names.

    Cached per year: the ``holidays`` object expands lazily and mutates itself
    when asked about a new year, which is not something to share between
    worker threads.  Building a plain dict per year avoids that.
    """
    closed: dict[date, str] = {}
    for day, name in holidays.Sweden(years=year, language="sv").items():
        if day.weekday() < 5:  # weekends are closed anyway; see module docstring
            closed[day] = name
    closed[date(year, 12, 24)] = "Julafton"
    closed[date(year, 12, 31)] = "Nyårsafton"
    closed[_midsummer_eve(year)] = "Midsommarafton"
    return closed


def non_working_reason(day: date) -> str | None:
    """Why ``day`` is not a working day, in Swedish, or ``None`` if it is one.

    Editors see this next to a due time that jumps over a holiday, so it names
    the holiday rather than just saying "closed".
    """
    name = _closed_days(day.year).get(day)
    if name is not None:
        return name
    if day.weekday() >= 5:
        return _WEEKDAY_NAMES_SV[day.weekday()]
    return None


def is_working_day(day: date) -> bool:
    return non_working_reason(day) is None


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")


def _window(day: date, office_hours: tuple[time, time] | None) -> tuple[datetime, datetime]:
    """The counted part of a working day as UTC instants."""
    if office_hours is None:
        opens = datetime.combine(day, time(0), tzinfo=STOCKHOLM)
        closes = datetime.combine(day + timedelta(days=1), time(0), tzinfo=STOCKHOLM)
    else:
        opens = datetime.combine(day, office_hours[0], tzinfo=STOCKHOLM)
        closes = datetime.combine(day, office_hours[1], tzinfo=STOCKHOLM)
    return opens.astimezone(UTC), closes.astimezone(UTC)


def validate_office_hours(office_hours: tuple[time, time] | None) -> None:
    """Raise ``ValueError`` unless ``office_hours`` is ``None`` or a same-day window.

    Overnight windows are refused: no municipal office works them, and they
    would make "the working day" straddle two dates.
    """
    if office_hours is None:
        return
    opens, closes = office_hours
    if opens.tzinfo is not None or closes.tzinfo is not None:
        raise ValueError("office hours are Stockholm wall-clock times and must not carry a time zone")
    if not opens < closes:
        raise ValueError(f"office hours must open before they close, got {opens}–{closes}")


def add_working_hours(
    start: datetime,
    hours: float,
    *,
    office_hours: tuple[time, time] | None = None,
) -> datetime:
    """The instant (aware, UTC) when ``hours`` of working time have passed since ``start``.

    A start outside working time (a weekend, a holiday, or outside office
    hours) counts from the next moment working time begins; with ``hours=0``
    that moment is returned, which is what "due at once" means for an item
    that arrives on a Saturday.  A due time that lands exactly on the end of a
    working window is returned as that end (e.g. 17:00), not as the next
    morning.
    """
    _require_aware(start, "start")
    if not math.isfinite(hours) or hours < 0:
        raise ValueError(f"hours must be a finite number >= 0, got {hours}")
    if hours > _MAX_HOURS:
        raise ValueError(f"hours must be at most {_MAX_HOURS}, got {hours}")
    validate_office_hours(office_hours)

    remaining = timedelta(hours=hours)
    cursor = start.astimezone(UTC)
    day = cursor.astimezone(STOCKHOLM).date()
    while True:
        if is_working_day(day):
            opens, closes = _window(day, office_hours)
            begin = max(cursor, opens)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)


def is_overdue(due_at: datetime | None, now: datetime | None = None) -> bool:
    """Whether an item due at ``due_at`` is overdue at ``now`` (default: the current time).

    ``None`` means "no due time" and is never overdue.  Being exactly at the
    due instant is not yet overdue.
    """
    if due_at is None:
        return False
    _require_aware(due_at, "due_at")
    if now is None:
        now = datetime.now(UTC)
    _require_aware(now, "now")
    return now > due_at
