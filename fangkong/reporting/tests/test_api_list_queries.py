"""The report list of the API reads each report's figures in one query for the whole page, not one per report."""

from __future__ import annotations

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import bj, file


@time_machine.travel(bj(9, 0), tick=False)
def test_the_report_list_runs_the_same_queries_for_one_or_many_reports(
    district, cadre_a, cadre_b, command_user, client_for
):
    file(cadre_a, district.township_a, bj(8, 0), home_isolation=3)
    client = client_for(command_user)
    client.get("/api/v1/reports/reports", {"day": "2021-08-03"})  # the session and caches warm up
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/reports/reports", {"day": "2021-08-03"}).json()) == 1
    file(cadre_b, district.township_b, bj(8, 30))
    file(cadre_a, district.village_a, bj(8, 40))
    with CaptureQueriesContext(connection) as three:
        body = client.get("/api/v1/reports/reports", {"day": "2021-08-03"}).json()
    assert len(body) == 3
    assert len(three) == len(one)
    # The figures are still each report's own.
    by_code = {r["region_code"]: r for r in body}
    assert by_code[district.township_a.code]["values"]["home_isolation"] == 3
    assert by_code[district.township_b.code]["values"]["home_isolation"] == 1
    assert by_code[district.village_a.code]["region_name"] == district.village_a.name
