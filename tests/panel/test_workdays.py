"""Working days by China's official calendar: holidays, 调休 and the 公示 period convention."""

from __future__ import annotations

import datetime as dt

import pytest

from clusterdesk.panel import workdays
from clusterdesk.panel.workdays import (
    CalendarNotCovered,
    NotAWorkingDay,
    add_working_days,
    covered_years,
    day_kind,
    is_working_day,
    period_end,
    working_days_between,
)

D = dt.date


def test_weekdays_weekends_holidays_and_adjusted_working_days():
    assert is_working_day(D(2023, 9, 27))  # a Wednesday
    assert not is_working_day(D(2023, 9, 23))  # a Saturday
    assert not is_working_day(D(2023, 10, 2))  # 国庆节, a Monday
    assert not is_working_day(D(2023, 9, 29))  # 中秋节, a Friday
    assert is_working_day(D(2023, 10, 7))  # 调休: a Saturday worked
    assert is_working_day(D(2023, 10, 8))  # 调休: a Sunday worked
    assert day_kind(D(2023, 10, 7)) == "调休上班"
    assert day_kind(D(2023, 10, 3)) == "国庆节"
    assert day_kind(D(2023, 9, 23)) == "周末"


def test_a_publicity_crossing_national_day_2023_ends_after_the_holiday():
    # 9/27 (1), 9/28 (2), 9/29–10/6 中秋、国庆, 10/7 调休 (3), 10/8 调休 (4), 10/9 (5).
    assert period_end(D(2023, 9, 27), 5) == D(2023, 10, 9)
    assert working_days_between(D(2023, 9, 27), D(2023, 10, 9)) == 5


def test_an_ordinary_week_counts_the_start_day_as_day_one():
    assert period_end(D(2023, 6, 5), 5) == D(2023, 6, 9)  # Monday to Friday
    assert period_end(D(2023, 6, 7), 5) == D(2023, 6, 13)  # Wednesday to next Tuesday
    assert period_end(D(2023, 6, 7), 1) == D(2023, 6, 7)


def test_a_publicity_may_start_on_an_adjusted_working_saturday():
    # 2023-10-07 (Saturday) is worked: day 1; 10/8 (Sunday, worked) day 2; then 10/9–10/11.
    assert period_end(D(2023, 10, 7), 5) == D(2023, 10, 11)


def test_a_start_on_a_day_off_is_refused_in_chinese():
    with pytest.raises(NotAWorkingDay) as saturday:
        period_end(D(2023, 9, 23), 5)
    assert saturday.value.message == "2023年9月23日（周末）不是工作日，公示须从工作日开始。"
    with pytest.raises(NotAWorkingDay) as holiday:
        period_end(D(2023, 10, 3), 5)
    assert "国庆节" in holiday.value.message


def test_add_working_days_does_not_count_the_start():
    assert add_working_days(D(2023, 9, 28), 1) == D(2023, 10, 7)
    assert add_working_days(D(2023, 9, 28), 0) == D(2023, 9, 28)
    assert add_working_days(D(2023, 9, 30), 1) == D(2023, 10, 7)  # from a holiday


def test_the_covered_years_come_from_the_library_and_others_are_refused_by_year():
    years = covered_years()
    assert years.start == 2004
    assert 2023 in years
    after = years.stop  # the first year the data does not know
    with pytest.raises(CalendarNotCovered) as refused:
        is_working_day(D(after, 3, 1))
    assert f"{after}年" in refused.value.message
    assert f"{workdays.FIRST_YEAR}年至{workdays.LAST_YEAR}年" in refused.value.message
    with pytest.raises(CalendarNotCovered):
        is_working_day(D(2003, 6, 2))


def test_a_period_running_past_the_data_is_refused_not_guessed():
    last_day = D(workdays.LAST_YEAR, 12, 31)
    start = last_day - dt.timedelta(days=3)
    while not is_working_day(start):
        start -= dt.timedelta(days=1)
    with pytest.raises(CalendarNotCovered):
        period_end(start, 10)


def test_day_counts_are_bounded():
    with pytest.raises(ValueError, match="工作日天数"):
        period_end(D(2023, 6, 5), 0)
    with pytest.raises(ValueError, match="工作日天数"):
        add_working_days(D(2023, 6, 5), 10_000)
