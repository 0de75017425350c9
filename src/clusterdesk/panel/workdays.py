"""Working days by China's official calendar (法定节假日 and 调休), for the 公示 period.

The data is the ``chinese_calendar`` package's (the State Council's yearly holiday notices):
weekends are days off unless the notice makes them adjusted working days (调休上班), and public
holidays are days off even on a weekday. The package covers a fixed range of years and must be
upgraded each year once the next year's notice is out; a date outside its range gets
``CalendarNotCovered`` with a Chinese message naming the year, never a guess.

Convention of a 公示 period, as the notices write it (“公示期为2023年9月27日至10月9日
（5个工作日）”): the period starts on a working day, the start day is working day 1,
and the period ends on the 5th working day counted that way (inclusive).
``period_end(start, 5)`` gives that end;
``add_working_days(start, n)`` is plain date arithmetic (n working days *after* ``start``), so
``period_end(start, n) == add_working_days(start, n - 1)`` for a working ``start``.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
from chinese_calendar import constants as _calendar_data

# The years the installed package knows (both ends inclusive), read from its own data.
FIRST_YEAR = min(day.year for day in _calendar_data.holidays)
LAST_YEAR = max(day.year for day in _calendar_data.holidays)
# A period longer than a year is a mistake, not a 公示.
MAX_DAYS = 366


class CalendarNotCovered(ValueError):
    """The date's year is outside the holiday data; ``message`` says so in Chinese."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.message = (
            f"法定节假日数据仅覆盖{FIRST_YEAR}年至{LAST_YEAR}年，无法判断{year}年的工作日；"
            f"请升级 chinese-calendar 库（国务院办公厅发布{year}年节假日安排后）。"
        )
        super().__init__(self.message)


def covered_years() -> range:
    return range(FIRST_YEAR, LAST_YEAR + 1)


def covers(day: dt.date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _check(day: dt.date) -> None:
    if not covers(day):
        raise CalendarNotCovered(day.year)


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day: a weekday that is no holiday, or an adjusted
    working weekend day (调休)."""
    _check(day)
    return chinese_calendar.is_workday(day)


def day_kind(day: dt.date) -> str:
    """工作日 / 调休上班 / the holiday's name (e.g. 国庆节) / 周末, for messages."""
    _check(day)
    if chinese_calendar.is_workday(day):
        return "调休上班" if day.weekday() >= 5 else "工作日"
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    if on_holiday and name:
        return _HOLIDAY_NAMES.get(name, name)
    return "周末"


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date ``n`` working days after ``start`` (``start`` itself not counted; n=0 gives
    ``start``). Raises ``CalendarNotCovered`` for any day outside the data's years."""
    if not 0 <= n <= MAX_DAYS:
        raise ValueError(f"工作日天数须在 0 至 {MAX_DAYS} 之间。")
    _check(start)
    day, left = start, n
    while left:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def period_end(start: dt.date, days: int) -> dt.date:
    """The last day of a period of ``days`` working days starting on ``start`` (day 1).

    ``start`` must be a working day (a 公示 starts on one); otherwise ``ValueError`` with a
    Chinese message naming the date and why it is not."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"工作日天数须在 1 至 {MAX_DAYS} 之间。")
    if not is_working_day(start):
        raise NotAWorkingDay(start)
    return add_working_days(start, days - 1)


def working_days_between(first: dt.date, last: dt.date) -> int:
    """How many working days lie in ``first``..``last`` (both inclusive)."""
    count, day = 0, first
    while day <= last:
        count += is_working_day(day)
        day += dt.timedelta(days=1)
    return count


class NotAWorkingDay(ValueError):
    def __init__(self, day: dt.date) -> None:
        self.day = day
        self.message = f"{chinese_date(day)}（{day_kind(day)}）不是工作日，公示须从工作日开始。"
        super().__init__(self.message)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_period(start: dt.date, end: dt.date) -> str:
    """“2023年9月27日至2023年10月9日” (the year written twice: the notices do, across years)."""
    return f"{chinese_date(start)}至{chinese_date(end)}"
