"""Counts over the region tree that the overview pages show, kept cheap at a million people.

Counting the active people below every unit of a district takes one grouped pass over the people table
(0.1–1 s at a million rows), far too slow to run on every page view. The counts per unit are computed for
the whole tree in one grouped query and kept in the shared cache with a version that changes with every
audited change (the newest audit event: every change to a person goes through an audited action) and every
new person (the newest person id). Both are read from the end of a primary-key index, so a page pays two
index probes, and the grouped pass runs again only after something changed, or after `PEOPLE_COUNTS_TTL`
for a change made outside the actions.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import Count, Max

from fangkong.audit.models import AuditEvent
from fangkong.people.models import Person
from fangkong.regions.models import Region

PEOPLE_COUNTS_TTL = 600  # seconds a cached figure may lag a change that wrote no audit event
T = TypeVar("T")


def _newest(model: type[models.Model]) -> int:
    newest: int | None = model._default_manager.aggregate(m=Max("id"))["m"]
    return newest or 0


def cached_until_change(
    key: str,
    compute: Callable[[], T],
    *,
    also: Sequence[type[models.Model]] = (),
    ttl: int = PEOPLE_COUNTS_TTL,
) -> T:
    """`compute()`, kept in the cache until the next audited change (or a new row of a model in `also`).

    For figures over whole jurisdictions that a page shows on every view: reading the version costs an index
    probe per model; the figure is computed again only after something changed.
    """
    models_: list[type[models.Model]] = [AuditEvent, *also]
    version = tuple(_newest(m) for m in models_)
    cached = cache.get(key)
    if cached is not None and cached[0] == version:
        value: T = cached[1]
        return value
    value = compute()
    cache.set(key, (version, value), ttl)
    return value


def cached_count(qs: models.QuerySet[Any], *, also: Sequence[type[models.Model]]) -> int:
    """`qs.count()`, kept until the next change (see `cached_until_change`), for the page count of a list.

    Counting a township's or the district's rows walks all of them (0.1–0.3 s at a million); the list
    itself needs only its page. The key is the query itself, so each user and filter has its own count.
    """
    try:
        sql = str(qs.order_by().query)
    except EmptyResultSet:
        return 0
    key = "count:" + hashlib.sha256(sql.encode()).hexdigest()
    return cached_until_change(key, qs.count, also=also)


def _count_people() -> Counter[str]:
    per_region = dict(
        Person.objects.active()
        .order_by()
        .values_list("region_id")
        .annotate(n=Count("id"))
        .values_list("region_id", "n")
    )
    paths = dict(Region.objects.filter(pk__in=list(per_region)).values_list("pk", "path"))
    counts: Counter[str] = Counter()
    for region_id, n in per_region.items():
        # Every unit on the path holds these people: /county/township/village/grid/.
        for code in paths[region_id].strip("/").split("/"):
            counts[code] += n
    return counts


def people_counts() -> Counter[str]:
    """Active people in the subtree of every unit, by region code (a unit with nobody is missing: 0)."""
    return cached_until_change("regions:people-counts", _count_people, also=[Person])


def people_below(region: Region) -> int:
    return people_counts()[region.code]


def holds_everything(root: Region) -> bool:
    """Whether `root`'s subtree is the whole tree (it is the only root): a jurisdiction filter keeps every row.

    Lists of the command office can then skip the filter, so the database walks an index in the list's order
    and stops after a page, instead of collecting every row of the district to sort it.
    """
    return (
        root.parent_id is None and not Region.objects.filter(parent__isnull=True).exclude(pk=root.pk).exists()
    )
