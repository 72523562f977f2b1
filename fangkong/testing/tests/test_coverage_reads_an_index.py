"""A round's coverage counts its target population per unit from the partial index of active people by unit and
birth date (`person_active_region_birth_idx`), not by reading every person of the units: at 100,000 people that
count was most of the coverage page's time on SQLite (issue 13)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.testing.figures import coverage_by_unit


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan; PostgreSQL plans by its statistics")
def test_the_target_count_per_unit_is_read_from_the_index(district, rnd, people):
    rnd.min_age = 3  # an age band, as most rounds have
    rnd.save(update_fields=["min_age"])
    with CaptureQueriesContext(connection) as queries:
        rows = coverage_by_unit(rnd, district.township_a)
    assert [row["target"] for row in rows if row["target"]] == [len(people)]  # all in grid A
    counts = [q["sql"] for q in queries if 'FROM "people_person"' in q["sql"] and "GROUP BY" in q["sql"]]
    assert len(counts) == 1
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + counts[0])
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "person_active_region_birth_idx" in plan, plan
