"""A day's overdue figure is what it was at that day's end (issue 18): Aug 4's figure is 2 at 23:59:59 and
still 2 the next morning after one item was verified; correcting the Aug 4 report with the true 2 is not a
discrepancy."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from fangkong.pushlists.actions import do_verify
from fangkong.pushlists.figures import items_overdue
from fangkong.pushlists.models import Outcome
from fangkong.pushlists.tests.conftest import NOW, item
from fangkong.reporting import sources
from fangkong.reporting.actions import do_file_report
from fangkong.reporting.models import ReportForm

BJ = ZoneInfo("Asia/Shanghai")
AUG4 = datetime.date(2021, 8, 4)
END_OF_AUG4 = datetime.datetime(2021, 8, 4, 23, 59, 59, tzinfo=BJ)
NEXT_MORNING = datetime.datetime(2021, 8, 5, 8, 0, tzinfo=BJ)


def test_a_past_days_overdue_figure_does_not_change_afterwards(district, batch, cadre_a):
    # 张三 and 王五 (township A) were due at 09:00 on Aug 4 and are still pending at its end.
    assert items_overdue(district.township_a, END_OF_AUG4) == 2
    do_verify(cadre_a, item(batch, "张三"), outcome=Outcome.NOT_LOCAL, now=NEXT_MORNING)
    assert items_overdue(district.township_a, NEXT_MORNING) == 1  # now
    assert sources.source_value("pushlists.items_overdue", district.township_a, AUG4, NEXT_MORNING) == 2


def test_items_imported_after_the_instant_do_not_count(district, batch):
    assert items_overdue(district.township_a, NOW - datetime.timedelta(minutes=1)) == 0


def test_the_true_figure_filed_the_next_morning_is_not_flagged(district, batch, cadre_a):
    do_verify(cadre_a, item(batch, "张三"), outcome=Outcome.NOT_LOCAL, now=NEXT_MORNING)
    form = ReportForm.current()
    assert form is not None
    values = {i.code: 1 for i in form.active_indicators()} | {"nat_samples": 2, "nat_positive": 0}
    values.update(
        sources.source_values(
            {i.code: i.source for i in form.active_indicators() if i.source},
            district.township_a,
            AUG4,
            END_OF_AUG4,
        )
    )
    assert values["pushlist_overdue"] == 2
    do_file_report(cadre_a, district.township_a, AUG4, values, now=END_OF_AUG4)
    report = do_file_report(cadre_a, district.township_a, AUG4, values, now=NEXT_MORNING, reason="再次确认")
    assert not report.has_discrepancy
    assert report.values.get(indicator__code="pushlist_overdue").source_value == 2
