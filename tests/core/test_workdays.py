import datetime

import pytest

from core.workdays import add_working_days, is_working_day, working_days_between, year_is_covered

pytestmark = pytest.mark.django_db  # the days the commission entered are read from the database

D = datetime.date


def test_the_make_up_saturday_before_spring_festival_is_a_working_day():
    # 2026: Spring Festival holiday 15–23 February, Saturday 14 February worked instead.
    assert is_working_day(D(2026, 2, 14))
    assert not is_working_day(D(2026, 2, 16))  # a Monday, but a holiday


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Friday + 1 = the make-up Saturday
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # across the whole holiday
        (D(2026, 2, 12), 5, D(2026, 2, 26)),  # Fri, make-up Sat, then 24, 25, 26 February
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # National Day week
        (D(2026, 10, 9), 1, D(2026, 10, 10)),  # and its make-up Saturday
        (D(2026, 11, 20), 1, D(2026, 11, 23)),  # an ordinary weekend
        (D(2026, 11, 23), 0, D(2026, 11, 23)),
    ],
)
def test_add_working_days_follows_the_official_calendar(start, days, due):
    assert add_working_days(start, days) == due


def test_working_days_between_counts_days_late():
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2
    assert working_days_between(D(2026, 2, 24), D(2026, 2, 13)) == -2
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0


def test_a_year_the_calendar_does_not_cover_counts_weekends_only():
    # chinese-calendar 1.11 ends with 2026; 2 January 2027 is a Saturday.
    if year_is_covered(2027):
        pytest.skip("the installed chinese-calendar already covers 2027")
    assert add_working_days(D(2027, 1, 1), 1) == D(2027, 1, 4)
    assert add_working_days(D(2027, 1, 4), 5) == D(2027, 1, 11)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 3, 2), -1)
