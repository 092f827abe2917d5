"""Working days (工作日) of mainland China for the reply clock of sharing applications.

The public holidays and the make-up working days (调休) come from the State Council's yearly notice
(国务院办公厅关于 YYYY 年部分节假日安排的通知, published each November for the next year), as
packaged by `chinese-calendar` (PyPI, pinned in pyproject.toml; it covers 2004 up to the newest
notice it was released after). A weekday may be a holiday (国庆节 2026-10-01…07) and a weekend day a
working day (2026-09-20, 2026-10-10). A year the package does not cover yet is refused with
`NoCalendar`, never guessed as Monday-Friday: upgrade chinese-calendar once the notice is out.
"""

from __future__ import annotations

from datetime import date, timedelta
from importlib.metadata import version

import chinese_calendar

PACKAGE = "chinese-calendar"


class NoCalendar(ValueError):
    """A day of a year the holiday calendar does not cover."""


def covered_years() -> tuple[int, int]:
    """The first and last year of the installed calendar."""
    years = {d.year for d in chinese_calendar.holidays}
    return min(years), max(years)


def is_working_day(d: date) -> bool:
    """A working day: Monday-Friday that is not a public holiday, or a make-up working day (调休)."""
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError as e:
        first, last = covered_years()
        raise NoCalendar(f"no holiday calendar for {d.year}: {PACKAGE} {version(PACKAGE)} covers {first}-{last}; "
                         f"upgrade it once the State Council's {d.year} holiday notice is out") from e


def working_days_after(start: date, n: int) -> date:
    """The day `n` working days after `start` (the day of filing does not count)."""
    d = start
    while n > 0:
        d += timedelta(days=1)
        n -= is_working_day(d)
    return d


def working_days_between(start: date, end: date) -> int:
    """Working days from `start` (exclusive) to `end` (inclusive)."""
    return sum(is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))
