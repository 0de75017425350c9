"""When the demo's review chain happened: dates relative to the day the demo is seeded.

The 2023 round is played "now" (its deadline moves ahead when the demo is seeded after the
notice's, see ``seed.demo_deadline``), so its review is dated around today: the first panel a
few weeks ago, the 公示 running over today, the second batch being scored now. The earlier round
(2022年度) keeps the official calendar of a 2022 call — moved by whole years, like the 2023
deadline, when the demo is seeded so late that its clusters would no longer be valid: a cluster
certified in the demo should be in the registry as 有效, so that the registry and the national
recommendation have something to show, and two years into its three, so that its annual
reports, targets and 复核 (``demo.cultivation``) have something to show. Every date is a
Beijing date; the times are aware.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from clusterdesk.declarations import clock
from clusterdesk.panel import workdays

BEIJING = ZoneInfo("Asia/Shanghai")


def today() -> dt.date:
    return timezone.localdate(clock.now(), BEIJING)


def moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """``day`` at ``hour:minute`` Beijing time, aware."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


def working_day_on_or_after(day: dt.date) -> dt.date:
    """The first working day from ``day`` (China's official calendar where it is covered,
    Monday to Friday beyond it)."""
    while not _working(day):
        day += dt.timedelta(days=1)
    return day


def working_day_on_or_before(day: dt.date) -> dt.date:
    while not _working(day):
        day -= dt.timedelta(days=1)
    return day


def working_days_before(day: dt.date, count: int) -> dt.date:
    """The working day ``count`` working days before ``day`` (0: ``day`` itself if working)."""
    day = working_day_on_or_before(day)
    for _ in range(count):
        day = working_day_on_or_before(day - dt.timedelta(days=1))
    return day


def _working(day: dt.date) -> bool:
    if workdays.covers(day):
        return workdays.is_working_day(day)
    return day.weekday() < 5


# --- the earlier round ------------------------------------------------------------------------

# The official calendar of the 2022 call as the demo plays it (the year is the round's).
EARLIER_YEAR = 2022
# The last thing that happened in it: the 发文. A round is moved so that this lies at least two
# years before the seeding day (and less than three, its clusters' validity): its clusters are
# then 有效, two years into their cultivation with two years' annual reports filed
# (``demo.cultivation``), and due for 复核 within the coming year.
EARLIER_LAST_DAY = dt.date(EARLIER_YEAR, 9, 26)
EARLIER_GAP_YEARS = 2


def earlier_shift(on: dt.date) -> int:
    """Whole years the earlier round is moved forward by: as many as keep its last day two
    years or more before ``on`` (0 when seeded in 2023, as the notice's calendar has it)."""
    years = 0
    while _years_later(EARLIER_LAST_DAY, years + 1) <= _years_later(on, -EARLIER_GAP_YEARS):
        years += 1
    return years


def shifted(day: dt.date, years: int) -> dt.date:
    return _years_later(day, years)


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return dt.date(day.year + years, 3, 1)
