"""The push-list figures count a million-item table: they match items by the keys of the subtree's units
and batches (an index each), never by joining regions or batches, and count the same as before."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.pushlists.actions import do_verify
from fangkong.pushlists.figures import items_overdue, items_received, items_verified
from fangkong.pushlists.models import Outcome
from fangkong.pushlists.tests.conftest import NOW, item


def _item_queries(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "pushlists_pushitem" in q["sql"]]


def test_the_figures_read_items_without_joining_units_or_batches(district, batch, cadre_a):
    do_verify(cadre_a, item(batch, "张三"), outcome=Outcome.NOT_LOCAL, now=NOW)
    with CaptureQueriesContext(connection) as ctx:
        received = items_received(district.township_a, NOW.date())
        verified = items_verified(district.township_a, NOW.date())
        overdue = items_overdue(district.township_a, NOW + datetime.timedelta(hours=25))
    assert (received, verified, overdue) == (2, 1, 1)
    sqls = _item_queries(ctx)
    assert (
        len(sqls) == 4
    )  # overdue: the open items and the items verified after the instant, each by its index
    for sql in sqls:
        assert "JOIN" not in sql.upper(), sql


def test_no_finished_batch_counts_nothing(district, batch):
    # Before the batch finished, nothing was received or overdue: no items query at all.
    before = batch.finished_at - datetime.timedelta(minutes=1)
    with CaptureQueriesContext(connection) as ctx:
        assert items_overdue(district.county, before) == 0
    assert _item_queries(ctx) == []
    assert items_overdue(district.county, NOW + datetime.timedelta(hours=25)) == 4


def test_the_district_holding_every_unit_counts_a_days_items_by_the_batch_alone(district, batch):
    with CaptureQueriesContext(connection) as ctx:
        everywhere = items_received(district.county, NOW.date())
    sqls = _item_queries(ctx)
    assert len(sqls) == 1 and "region_id" not in sqls[0], sqls
    assert everywhere == batch.items.count() == 4
    # A township still counts its own units' items only.
    assert items_received(district.township_a, NOW.date()) == 2
