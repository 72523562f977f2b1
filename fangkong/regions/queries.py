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

from collections import Counter

from django.core.cache import cache
from django.db.models import Count, Max

from fangkong.audit.models import AuditEvent
from fangkong.people.models import Person
from fangkong.regions.models import Region

PEOPLE_COUNTS_KEY = "regions:people-counts"
PEOPLE_COUNTS_TTL = 600  # seconds a count may lag a change that wrote no audit event


def _version() -> tuple[int, int]:
    audit = AuditEvent.objects.aggregate(m=Max("id"))["m"] or 0
    people = Person.objects.aggregate(m=Max("id"))["m"] or 0
    return audit, people


def people_counts() -> Counter[str]:
    """Active people in the subtree of every unit, by region code (a unit with nobody is missing: 0)."""
    version = _version()
    cached = cache.get(PEOPLE_COUNTS_KEY)
    if cached is not None and cached[0] == version:
        counts: Counter[str] = cached[1]
        return counts
    per_region = dict(
        Person.objects.active()
        .order_by()
        .values_list("region_id")
        .annotate(n=Count("id"))
        .values_list("region_id", "n")
    )
    paths = dict(Region.objects.filter(pk__in=list(per_region)).values_list("pk", "path"))
    counts = Counter()
    for region_id, n in per_region.items():
        # Every unit on the path holds these people: /county/township/village/grid/.
        for code in paths[region_id].strip("/").split("/"):
            counts[code] += n
    cache.set(PEOPLE_COUNTS_KEY, (version, counts), PEOPLE_COUNTS_TTL)
    return counts


def people_below(region: Region) -> int:
    return people_counts()[region.code]
