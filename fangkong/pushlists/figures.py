"""Push-list figures for the daily report (reporting reads these; it does not import the models).

Each counts items in the subtree of `region`: received on a Beijing day (from imported batches),
verified on a Beijing day, and overdue at an instant (pending past the deadline, counted against the
unit holding the item).

They count a million-item table, so each is one table and an index: the subtree's units and the batches
that qualify are read first (a few hundred and a few rows), and the items are matched by their keys
(`pushitem_region_batch`, `pushitem_open_deadline`, `pushitem_verified_at`) instead of joining regions
and batches, which PostgreSQL answered with a parallel scan of every item.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from fangkong.lib.reporting_day import day_end
from fangkong.pushlists.models import BatchStatus, PushBatch, PushItem
from fangkong.regions.models import Region
from fangkong.regions.queries import holds_everything


def _items(region: Region) -> QuerySet[PushItem]:
    """Items held in the subtree of `region`, by the keys of its units (no join; the ids are few)."""
    units = list(Region.objects.within(region).values_list("pk", flat=True))
    return PushItem.objects.filter(region_id__in=units).order_by()


def _done_batches(**filters: datetime.datetime) -> list[int]:
    return list(PushBatch.objects.filter(status=BatchStatus.DONE, **filters).values_list("pk", flat=True))


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    return day_end(day - datetime.timedelta(days=1)), day_end(day)


def items_received(region: Region, day: datetime.date) -> int:
    start, end = _day_bounds(day)
    batches = _done_batches(created_at__gte=start, created_at__lt=end)
    if not batches:
        return 0
    # The district that holds every unit filters no unit: a day's batch of 100,000 items is counted from the
    # batch's index in 20–24 ms, where matching the district's 700 unit keys took 135 ms (PostgreSQL, a million
    # people). The overdue count keeps its unit keys: there they lead PostgreSQL to the open items' index.
    items = PushItem.objects.order_by() if holds_everything(region) else _items(region)
    return items.filter(batch_id__in=batches).count()


def items_verified(region: Region, day: datetime.date) -> int:
    start, end = _day_bounds(day)
    return _items(region).filter(verified_at__gte=start, verified_at__lt=end).count()


def items_overdue(region: Region, at: datetime.datetime) -> int:
    """Items imported by `at`, past their deadline at `at` and not verified by then: the figure as it was
    at that instant, so a past day's figure does not change when items are verified afterwards."""
    # Every batch with its state, in one read (a batch a day): which count at `at`, and whether any does not.
    states = list(PushBatch.objects.order_by().values_list("pk", "status", "finished_at"))
    batches = [
        pk
        for pk, status, finished in states
        if status == BatchStatus.DONE and finished is not None and finished <= at
    ]
    if not batches:
        return 0
    # Each side of the OR is counted by itself from its own index: the open items by deadline (an index-only scan
    # of `pushitem_open_deadline`, which holds the unit) and the items verified after `at`. Asked with the OR in
    # one count, PostgreSQL read every overdue item's row (184 ms for the district's 144,000 at a million people,
    # 43 ms apart). The batches are a filter only while some batch did not count yet (importing, or finished
    # after `at`): the index does not hold the batch.
    items = _items(region).filter(deadline_at__lt=at)
    if len(batches) < len(states):
        items = items.filter(batch_id__in=batches)
    open_items = items.filter(outcome="").count()
    verified_later = items.exclude(outcome="").filter(verified_at__gt=at).count()
    return open_items + verified_later
