import datetime

from fangkong.lib.dates import day_error, parse_day

TODAY = datetime.date(2021, 8, 3)


def test_it_parses_an_iso_day():
    assert parse_day("2021-08-03", today=TODAY) == datetime.date(2021, 8, 3)
    assert parse_day(" 2021-08-03 ", today=TODAY) == datetime.date(2021, 8, 3)


def test_it_returns_none_for_empty_or_malformed_text():
    for value in (None, "", "yesterday", "2021-02-30", "2021-13-01", "20210803x"):
        assert parse_day(value, today=TODAY) is None


def test_it_refuses_the_ends_of_the_calendar():
    assert parse_day("9999-12-31", today=TODAY) is None
    assert parse_day("0001-01-01", today=TODAY) is None
    assert parse_day(datetime.date.max) is None
    assert parse_day(datetime.date.min) is None


def test_it_accepts_days_from_2000_to_a_year_ahead():
    assert parse_day("2000-01-01", today=TODAY) == datetime.date(2000, 1, 1)
    assert parse_day("1999-12-31", today=TODAY) is None
    assert parse_day("2022-08-04", today=TODAY) == datetime.date(2022, 8, 4)
    assert parse_day("2022-08-05", today=TODAY) is None


def test_the_bounds_can_be_narrowed():
    earliest = datetime.date(2021, 1, 1)
    assert parse_day("2020-12-31", earliest=earliest, today=TODAY) is None
    assert parse_day("2021-08-04", latest_days_ahead=0, today=TODAY) is None
    assert parse_day("2021-08-03", latest_days_ahead=0, today=TODAY) == TODAY


def test_it_range_checks_an_already_parsed_date_but_not_an_instant():
    assert parse_day(TODAY, today=TODAY) == TODAY
    assert parse_day(datetime.datetime(2021, 8, 3, tzinfo=datetime.UTC), today=TODAY) is None


def test_the_error_names_the_accepted_span(english):
    message = day_error(today=TODAY)
    assert "2000" in message and "2022" in message
