"""Benchmark a control day: `python -m bench.control_day --orders 100000`.

Builds its own throwaway database (a temp SQLite file, or a fresh PostgreSQL database next to the one
DATABASE_URL names), migrates it, builds the demo district (regions, people, accounts; no activity), then
bulk-creates active control orders spread over every grid and protocol, each with its planned tests — first
1,000, measured, then up to `--orders`, measured again. wangzhu-grid's own grid holds the same 20 orders in both
(a grid's caseload does not grow with the district's).

Measured (medians of `--runs`): `day_seconds`, the time to compute today's stage counts, tomorrow's transfers,
the releases due (with missing tests) and the due tests for all orders; `grid_page_ms`, the grid worker's
follow-up page; `overview_ms`, the district control overview as the command office. Each `*_ratio` is the large
value over the 1,000-order value. The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

BJ = ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2021, 8, 20)
SMALL = 1_000
OWN_GRID = 20


def _prepare_database() -> tuple[str | None, str | None]:
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "fangkong.settings"
    url = os.environ.get("DATABASE_URL", "")
    os.environ["FANGKONG_VAR_DIR"] = tempfile.mkdtemp(prefix="fangkong-bench-")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _sep, _name = url.rpartition("/")
        name = f"bench_control_{os.getpid()}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{base}/{name}"
        return url, name
    os.environ.pop("DATABASE_URL", None)
    return None, None


def _drop_database(admin_url: str | None, name: str | None) -> None:
    if admin_url and name:
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def add_orders(count: int, grids: list[Any], rng: random.Random, serial: list[int]) -> None:
    """Bulk-create `count` people, each with an active order under a random protocol, active on TODAY."""
    from django.db import transaction

    from fangkong.control.days import plans
    from fangkong.control.models import ControlOrder, DueTest, Protocol, Reason
    from fangkong.lib.idnumbers import make
    from fangkong.people.models import Person

    all_plans = plans()
    protocols = list(Protocol.objects.filter(pk__in=all_plans))
    now = datetime.datetime.combine(TODAY, datetime.time(8), tzinfo=BJ)
    done = 0
    while done < count:
        size = min(5_000, count - done)
        with transaction.atomic():
            people = []
            for _ in range(size):
                serial[0] += 1
                n = serial[0]
                birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=n // 900)
                people.append(
                    Person(
                        name=f"管控{n}",
                        document_number=make("410971", birth, n % 900),
                        region=grids[n % len(grids)] if len(grids) > 1 else grids[0],
                    )
                )
            people = Person.objects.bulk_create(people, batch_size=1000)
            orders = []
            for person in people:
                protocol = rng.choice(protocols)
                plan = all_plans[protocol.pk]
                start = TODAY - datetime.timedelta(days=rng.randrange(plan.total_days + 1))
                orders.append(
                    ControlOrder(
                        person=person,
                        region_id=person.region_id,
                        reason=Reason.CLOSE_CONTACT,
                        protocol=protocol,
                        start_day=start,
                        end_day=plan.end_day(start),
                        created_at=now,
                    )
                )
            orders = ControlOrder.objects.bulk_create(orders, batch_size=1000)
            tests = []
            for order in orders:
                for stage, day in all_plans[order.protocol_id].test_dates(order.start_day):
                    result = "negative" if day < TODAY else ""
                    tests.append(DueTest(order=order, stage=stage, day=day, result=result))
            DueTest.objects.bulk_create(tests, batch_size=2000)
        done += size
    # The bulk path bypasses the actions: the per-unit day counts are computed from the orders, as the
    # actions keep them (control/counts.py; the tests prove the two agree).
    from fangkong.control.counts import rebuild

    rebuild()


def compute_day() -> dict[str, int]:
    from fangkong.control import days
    from fangkong.control.models import ControlOrder, DueTest, OrderStatus

    orders = ControlOrder.objects.filter(status=OrderStatus.ACTIVE)
    counts = days.kind_counts(orders, TODAY)
    transfers = days.transfers_tomorrow(orders, TODAY).count()
    releases = list(days.releases_due(orders, TODAY).values_list("pk", "missing"))  # type: ignore[misc]
    due = DueTest.objects.filter(day=TODAY, order__status=OrderStatus.ACTIVE).count()
    return {**counts, "transfers": transfers, "releases": len(releases), "due_tests": due}


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    timings = []
    for _ in range(runs + 1):
        t0 = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - t0) * 1000)
    return statistics.median(timings[1:])


def measure(runs: int) -> dict[str, float]:
    import time_machine
    from django.test import Client

    from fangkong.accounts.models import User

    office, grid = Client(), Client()
    office.force_login(User.objects.get(username="zhihuibu"))
    grid.force_login(User.objects.get(username="wangzhu-grid"))

    def page(client: Client, url: str) -> Callable[[], None]:
        def get() -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")

        return get

    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(10), tzinfo=BJ), tick=False):
        return {
            "day_ms": median_ms(compute_day, runs),
            "grid_page_ms": median_ms(page(grid, "/control/follow-ups/"), runs),
            "overview_ms": median_ms(page(office, "/control/"), runs),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20210820)
    args = parser.parse_args(argv)

    admin_url, db_name = _prepare_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.urls import get_resolver

    from fangkong.accounts.models import User
    from fangkong.demo.builder import build
    from fangkong.regions.models import Level, Region

    try:
        call_command("migrate", verbosity=0)
        build(people_per_village=4)
        get_resolver().url_patterns  # noqa: B018 - import every app outside the timings
        own = User.objects.get(username="wangzhu-grid").region
        assert own is not None  # noqa: S101 - the demo accounts are built
        others = list(Region.objects.filter(level=Level.GRID).exclude(pk=own.pk))
        rng, serial = random.Random(args.seed), [0]
        add_orders(OWN_GRID, [own], rng, serial)
        add_orders(SMALL - OWN_GRID, others, rng, serial)
        small = measure(args.runs)
        t0 = time.perf_counter()
        add_orders(max(args.orders - SMALL, 0), others, rng, serial)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"built {args.orders} orders in {time.perf_counter() - t0:.1f}s: {compute_day()}", file=sys.stderr
        )
        large = measure(args.runs)
        print(
            json.dumps(
                {
                    "orders": args.orders,
                    "database": connection.vendor,
                    "day_seconds": round(large["day_ms"] / 1000, 3),
                    "day_seconds_1000": round(small["day_ms"] / 1000, 3),
                    "grid_page_ms": round(large["grid_page_ms"], 1),
                    "grid_page_ms_1000": round(small["grid_page_ms"], 1),
                    "grid_page_ratio": round(large["grid_page_ms"] / small["grid_page_ms"], 2),
                    "overview_ms": round(large["overview_ms"], 1),
                    "overview_ms_1000": round(small["overview_ms"], 1),
                    "overview_ratio": round(large["overview_ms"] / small["overview_ms"], 2),
                }
            )
        )
    finally:
        _drop_database(admin_url, db_name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
