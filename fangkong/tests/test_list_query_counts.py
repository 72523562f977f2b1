"""Every list page and list API runs a pinned number of queries on the demo district (no query per row).

The demo (`load_demo`) is loaded once at a fixed Beijing time with one person a village — the counts were
taken with two, so a query per row would show — then each page found in the URL configuration without
parameters is requested as the command office, a township cadre and a grid worker; the second request is
counted (the first warms sessions and cached figures). `PINNED` holds the count of each page. A page not yet
pinned (a new app's) must stay under `UNPINNED_CEILING`; pin it by adding its line (printed on a failure).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver

from fangkong.accounts.models import User
from fangkong.lib.reporting_day import SHANGHAI

USERS = ("zhihuibu", "wangzhu", "wangzhu-grid")
# Not lists: sign-in and out, language switch, health probe, the API's docs and schema.
SKIP = ("accounts/login/", "accounts/logout/", "i18n/", "healthz", "api/v1/docs", "api/v1/openapi.json")
UNPINNED_CEILING = 30

# (user, route): queries of the second request. Regenerate with `pytest … -s` (printed on a mismatch).
PINNED: dict[tuple[str, str], int] = {
    ("wangzhu", ""): 13,
    ("wangzhu", "accounts/password/"): 3,
    ("wangzhu", "accounts/tokens/"): 4,
    ("wangzhu", "accounts/users/"): 5,
    ("wangzhu", "accounts/users/new"): 5,
    ("wangzhu", "api/v1/briefings/"): 4,
    ("wangzhu", "api/v1/control/orders"): 5,
    ("wangzhu", "api/v1/duty/leave"): 4,
    ("wangzhu", "api/v1/people/"): 5,
    ("wangzhu", "api/v1/push-lists/batches"): 5,
    ("wangzhu", "api/v1/push-lists/items"): 7,
    ("wangzhu", "api/v1/reports/completeness"): 7,
    ("wangzhu", "api/v1/reports/reports"): 5,
    ("wangzhu", "api/v1/screening/returnees"): 9,
    ("wangzhu", "briefings/"): 5,
    ("wangzhu", "duty/"): 7,
    ("wangzhu", "duty/leave/"): 4,
    ("wangzhu", "duty/leave/inbox"): 5,
    ("wangzhu", "duty/leave/new"): 3,
    ("wangzhu", "duty/mine"): 5,
    ("wangzhu", "duty/shifts/new"): 7,
    ("wangzhu", "people/"): 8,
    ("wangzhu", "people/new"): 5,
    ("wangzhu", "people/transfers/"): 4,
    ("wangzhu", "push-lists/"): 6,
    ("wangzhu", "push-lists/items/"): 10,
    ("wangzhu", "push-lists/overdue/"): 8,
    ("wangzhu", "regions/"): 5,
    ("wangzhu", "reports/"): 10,
    ("wangzhu", "reports/accountability/"): 5,
    ("wangzhu", "reports/completeness/"): 11,
    ("wangzhu", "reports/day/"): 5,
    # 38 + the field-work figure 消杀面积 (issue 17) + push items overdue counted as open and verified-later apart
    ("wangzhu", "reports/file/"): 40,
    ("wangzhu", "reports/notices/"): 4,
    ("wangzhu", "reports/notifications/"): 5,
    ("wangzhu", "reports/urgent/"): 4,
    ("wangzhu", "reports/urgent/new/"): 3,
    ("wangzhu", "screening/"): 9,
    ("wangzhu", "screening/campaigns/"): 6,
    ("wangzhu", "screening/links/"): 5,
    ("wangzhu", "screening/returnees/"): 10,
    ("wangzhu", "screening/returnees/new"): 7,
    ("wangzhu", "screening/risk-areas/"): 6,
    ("wangzhu", "screening/rules/"): 5,
    ("wangzhu-grid", ""): 6,
    ("wangzhu-grid", "accounts/password/"): 3,
    ("wangzhu-grid", "accounts/tokens/"): 4,
    ("wangzhu-grid", "api/v1/control/orders"): 5,
    ("wangzhu-grid", "api/v1/duty/leave"): 4,
    ("wangzhu-grid", "api/v1/people/"): 5,
    ("wangzhu-grid", "api/v1/push-lists/batches"): 5,
    ("wangzhu-grid", "api/v1/push-lists/items"): 7,
    ("wangzhu-grid", "api/v1/reports/reports"): 3,
    ("wangzhu-grid", "api/v1/screening/returnees"): 10,
    ("wangzhu-grid", "duty/"): 7,
    ("wangzhu-grid", "duty/leave/"): 4,
    ("wangzhu-grid", "duty/leave/new"): 3,
    ("wangzhu-grid", "duty/mine"): 5,
    ("wangzhu-grid", "people/"): 7,
    ("wangzhu-grid", "people/new"): 5,
    ("wangzhu-grid", "people/transfers/"): 4,
    ("wangzhu-grid", "push-lists/"): 6,
    ("wangzhu-grid", "push-lists/items/"): 7,
    ("wangzhu-grid", "push-lists/overdue/"): 8,
    ("wangzhu-grid", "reports/notifications/"): 4,
    ("wangzhu-grid", "reports/urgent/"): 4,
    ("wangzhu-grid", "reports/urgent/new/"): 3,
    ("wangzhu-grid", "screening/"): 9,
    ("wangzhu-grid", "screening/campaigns/"): 6,
    ("wangzhu-grid", "screening/links/"): 5,
    ("wangzhu-grid", "screening/returnees/"): 11,
    ("wangzhu-grid", "screening/returnees/new"): 9,
    ("wangzhu-grid", "screening/risk-areas/"): 6,
    ("wangzhu-grid", "screening/rules/"): 5,
    ("zhihuibu", ""): 14,
    ("zhihuibu", "accounts/password/"): 3,
    ("zhihuibu", "accounts/tokens/"): 4,
    ("zhihuibu", "accounts/users/"): 5,
    ("zhihuibu", "accounts/users/new"): 5,
    ("zhihuibu", "api/v1/briefings/"): 4,
    ("zhihuibu", "api/v1/control/orders"): 5,
    ("zhihuibu", "api/v1/duty/leave"): 4,
    ("zhihuibu", "api/v1/people/"): 5,
    ("zhihuibu", "api/v1/push-lists/batches"): 5,
    ("zhihuibu", "api/v1/push-lists/items"): 8,
    ("zhihuibu", "api/v1/reports/completeness"): 7,
    ("zhihuibu", "api/v1/reports/reports"): 5,
    ("zhihuibu", "api/v1/reports/summary"): 17,
    ("zhihuibu", "api/v1/screening/returnees"): 10,
    ("zhihuibu", "audit/"): 5,
    ("zhihuibu", "briefings/"): 6,
    ("zhihuibu", "duty/"): 7,
    ("zhihuibu", "duty/leave/"): 4,
    ("zhihuibu", "duty/leave/inbox"): 5,
    ("zhihuibu", "duty/leave/new"): 3,
    ("zhihuibu", "duty/mine"): 5,
    ("zhihuibu", "duty/shifts/new"): 7,
    ("zhihuibu", "people/"): 8,
    ("zhihuibu", "people/new"): 5,
    ("zhihuibu", "people/transfers/"): 4,
    ("zhihuibu", "push-lists/"): 6,
    ("zhihuibu", "push-lists/items/"): 11,
    ("zhihuibu", "push-lists/overdue/"): 9,
    ("zhihuibu", "push-lists/queue/"): 10,
    ("zhihuibu", "regions/"): 5,
    ("zhihuibu", "reports/"): 10,
    ("zhihuibu", "reports/accountability/"): 5,
    ("zhihuibu", "reports/completeness/"): 10,
    ("zhihuibu", "reports/day/"): 5,
    ("zhihuibu", "reports/forms/"): 5,
    ("zhihuibu", "reports/notices/"): 4,
    ("zhihuibu", "reports/notifications/"): 5,
    ("zhihuibu", "reports/urgent/"): 5,
    ("zhihuibu", "reports/urgent/new/"): 3,
    ("zhihuibu", "screening/"): 9,
    ("zhihuibu", "screening/campaigns/"): 6,
    ("zhihuibu", "screening/links/"): 5,
    ("zhihuibu", "screening/measures/new"): 3,
    ("zhihuibu", "screening/returnees/"): 11,
    ("zhihuibu", "screening/returnees/new"): 7,
    ("zhihuibu", "screening/risk-areas/"): 6,
    ("zhihuibu", "screening/rules/"): 5,
    ("zhihuibu", "screening/rules/new"): 4,
    # Field work (issue 17).
    ("wangzhu", "api/v1/field/reference"): 7,  # + none staffed, no open testing point (issue 17's last forms)
    ("wangzhu", "field/"): 7,
    ("wangzhu", "field/offline/"): 3,
    ("wangzhu", "field/places/"): 6,
    ("wangzhu", "field/tasks/"): 4,
    ("wangzhu", "field/teams/"): 6,
    (
        "wangzhu-grid",
        "api/v1/field/reference",
    ): 13,  # + follow-ups due, campaign visits, open push items (issue 17)
    ("wangzhu-grid", "field/"): 7,
    ("wangzhu-grid", "field/offline/"): 3,
    ("wangzhu-grid", "field/places/"): 4,
    ("wangzhu-grid", "field/tasks/"): 4,
    ("wangzhu-grid", "field/teams/"): 4,
    # + the checkpoints they may register at, villages, testing points, today's rounds, key groups (issue 17)
    ("zhihuibu", "api/v1/field/reference"): 10,
    ("zhihuibu", "field/"): 7,
    ("zhihuibu", "field/offline/"): 3,
    ("zhihuibu", "field/places/"): 6,
    ("zhihuibu", "field/tasks/"): 4,
    ("zhihuibu", "field/teams/"): 6,
    # Issue 15 follow-up (vaccsup): key groups, sites and the read APIs. The coverage API looks up the day's
    # coverage run first (issue 16: counted per unit by a job, read while fresh), then counts live without one.
    ("zhihuibu", "vaccination/groups/"): 9,
    ("zhihuibu", "vaccination/sites/"): 6,
    ("zhihuibu", "api/v1/vaccination/coverage"): 9,
    ("zhihuibu", "api/v1/supplies/stock"): 6,
    ("zhihuibu", "api/v1/supervision/items"): 5,
    ("wangzhu", "vaccination/groups/"): 9,
    ("wangzhu", "vaccination/sites/"): 6,
    ("wangzhu", "api/v1/vaccination/coverage"): 9,
    ("wangzhu", "api/v1/supplies/stock"): 6,
    ("wangzhu", "api/v1/supervision/items"): 5,
    ("wangzhu-grid", "vaccination/groups/"): 7,
    ("wangzhu-grid", "vaccination/sites/"): 4,
    ("wangzhu-grid", "api/v1/vaccination/coverage"): 9,
    # Control (issue 12). The follow-up page counts its due orders once, for its length and its totals alike.
    ("zhihuibu", "control/"): 19,
    ("zhihuibu", "control/follow-ups/"): 8,
    ("zhihuibu", "control/orders/"): 6,
    ("zhihuibu", "control/protocols/"): 8,
    ("zhihuibu", "control/sites/"): 6,
    ("wangzhu", "control/"): 19,
    ("wangzhu", "control/follow-ups/"): 8,
    ("wangzhu", "control/orders/"): 6,
    ("wangzhu", "control/protocols/"): 7,
    ("wangzhu", "control/sites/"): 6,
    ("wangzhu-grid", "control/"): 16,
    ("wangzhu-grid", "control/follow-ups/"): 7,
    ("wangzhu-grid", "control/orders/"): 6,
    ("wangzhu-grid", "control/protocols/"): 7,
    ("wangzhu-grid", "control/sites/"): 4,
}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def list_routes() -> list[str]:
    """Routes without parameters (lists, dashboards, forms), each once."""
    routes: dict[str, None] = {}
    for route, pattern in _walk(get_resolver().url_patterns):
        route = route.lstrip("^").rstrip("$")
        if getattr(pattern.pattern, "converters", {}) or "<" in route or route.startswith(SKIP):
            continue
        routes.setdefault(route, None)
    return list(routes)


def _is_page(response: Any) -> bool:
    kind = response.get("Content-Type", "")
    return (
        response.status_code == 200
        and ("text/html" in kind or "application/json" in kind)
        and "attachment" not in response.get("Content-Disposition", "")
    )


def _counted(client: Client, url: str) -> int | None:
    if not _is_page(client.get(url, secure=True)):
        return None
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, secure=True).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_every_list_page_runs_its_pinned_number_of_queries_on_the_demo(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, 30, tzinfo=SHANGHAI), tick=False):
        call_command("load_demo", "--people-per-village", "1", stdout=StringIO())
        measured: dict[tuple[str, str], int] = {}
        for username in USERS:
            client = Client()
            client.force_login(User.objects.get(username=username))
            for route in list_routes():
                count = _counted(client, "/" + route)
                if count is not None:
                    measured[(username, route)] = count
    wrong = {key: n for key, n in measured.items() if key in PINNED and PINNED[key] != n}
    heavy = {key: n for key, n in measured.items() if key not in PINNED and n > UNPINNED_CEILING}
    if wrong or heavy:
        print("PINNED = {")
        for key, n in sorted(measured.items()):
            print(f"    {key!r}: {n},")
        print("}")
    assert not wrong, (
        f"query counts changed (pinned → now): { {k: (PINNED[k], n) for k, n in wrong.items()} }"
    )
    assert not heavy, f"unpinned pages over {UNPINNED_CEILING} queries: {heavy}"
