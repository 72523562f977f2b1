"""Benchmark the 12:00 deadline sweep and the district completeness page.

    .venv/bin/python -m bench.deadline_sweep --units 10000

Builds its own throwaway database (a temp SQLite file, or a fresh PostgreSQL database next to the one
DATABASE_URL names), migrates it, bulk-creates N reporting units (townships and villages) with a mix of
on-time, zero, late and silent reports, then times `do_deadline_sweep` at 12:00:30 (which also closes the
previous day as missing) and the completeness page for the whole district. The last line printed is JSON.
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
import uuid
from typing import Any
from zoneinfo import ZoneInfo

BJ = ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2021, 8, 3)


def _prepare_database() -> tuple[str | None, str | None]:
    """Point the settings at a fresh database; returns (postgres admin url, db name) to drop afterwards."""
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "fangkong.settings"
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _sep, _name = url.rpartition("/")
        name = f"bench_reporting_{os.getpid()}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{base}/{name}"
        return url, name
    os.environ.pop("DATABASE_URL", None)
    os.environ["FANGKONG_VAR_DIR"] = tempfile.mkdtemp(prefix="fangkong-bench-")
    return None, None


def _drop_database(admin_url: str | None, name: str | None) -> None:
    if admin_url and name:
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def build(units: int, rng: random.Random) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password

    from fangkong.accounts.models import User
    from fangkong.accounts.permissions import Role
    from fangkong.regions.models import Level, Region
    from fangkong.reporting.models import DailyReport, ReportForm, ReportState, ReportStatus, ReportValue

    county = Region.objects.create(code="410972", name="开发区", level=Level.COUNTY, path="/410972/")
    n_town = max(1, units // 100)
    towns = [
        Region(
            code=f"410972{t:03d}",
            name=f"镇{t}",
            level=Level.TOWNSHIP,
            parent=county,
            path=f"/410972/410972{t:03d}/",
        )
        for t in range(n_town)
    ]
    Region.objects.bulk_create(towns, batch_size=2000)
    towns = list(Region.objects.filter(level=Level.TOWNSHIP).order_by("path"))
    villages = []
    for i in range(units - n_town):
        town = towns[i % n_town]
        code = f"{town.code}{200 + i // n_town:03d}"
        villages.append(
            Region(
                code=code,
                name=f"{town.name}村{i // n_town}",
                level=Level.VILLAGE,
                parent=town,
                path=f"{town.path}{code}/",
            )
        )
    Region.objects.bulk_create(villages, batch_size=2000)
    # The units have reported for a long time: a unit is accountable from the day after it is created.
    Region.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=BJ))

    password = make_password("bench")
    people = [User(username="office", role=Role.COMMAND_OFFICE, region=county, password=password)]
    people += [
        User(username=f"t{t.code}", role=Role.TOWNSHIP_CADRE, region=t, password=password) for t in towns
    ]
    User.objects.bulk_create(people, batch_size=2000)
    office = User.objects.get(username="office")

    form = ReportForm.current()
    if form is None:
        raise RuntimeError("the default form migration did not run")
    indicators = list(form.active_indicators())
    unit_ids = list(form.units().values_list("id", flat=True))
    submitter = office.pk
    reports = []
    mix = {"on_time": 0, "zero": 0, "silent": 0}
    for day in (DAY - datetime.timedelta(days=1), DAY):
        for rid in unit_ids:
            roll = rng.random()
            if roll < 0.15:  # silent: the sweep marks it late (today) or missing (yesterday)
                mix["silent"] += day == DAY
                continue
            is_zero = roll < 0.30
            at = datetime.datetime.combine(day, datetime.time(8), tzinfo=BJ) + datetime.timedelta(
                minutes=rng.randrange(230)
            )
            status = ReportStatus.ZERO if is_zero else ReportStatus.ON_TIME
            mix["zero" if is_zero else "on_time"] += day == DAY
            reports.append(
                DailyReport(
                    uuid=uuid.uuid4(),
                    region_id=rid,
                    day=day,
                    form=form,
                    state=ReportState.SUBMITTED,
                    status=status,
                    is_zero=is_zero,
                    first_submitted_at=at,
                    submitted_at=at,
                    submitted_by_id=submitter,
                )
            )
    DailyReport.objects.bulk_create(reports, batch_size=2000)
    values = [
        ReportValue(report_id=rid, indicator=ind, value=0 if zero else rng.randrange(50))
        for rid, zero in DailyReport.objects.filter(day=DAY).values_list("id", "is_zero")
        for ind in indicators
    ]
    ReportValue.objects.bulk_create(values, batch_size=5000)
    return {"office": office, "mix": mix, "reports": len(reports), "values": len(values)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20210803)
    parser.add_argument("--page-runs", type=int, default=5)
    args = parser.parse_args(argv)

    admin_url, db_name = _prepare_database()
    import django

    django.setup()
    import time_machine
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import get_resolver

    from fangkong.reporting.actions import do_deadline_sweep
    from fangkong.reporting.models import AccountabilityRecord, DailyReport, Notification, ReportStatus

    try:
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        built = build(args.units, random.Random(args.seed))
        build_s = time.perf_counter() - t0
        print(
            f"built {args.units} units, {built['reports']} reports, {built['values']} values in {build_s:.1f}s "
            f"(today: {built['mix']}) on {connection.vendor}",
            file=sys.stderr,
        )

        sweep_at = datetime.datetime.combine(DAY, datetime.time(12, 0, 30), tzinfo=BJ)
        # Loading the URLconf imports every app (PDF libraries included): a once-per-process cost that a
        # running consumer has already paid, so it is kept out of the sweep's time.
        get_resolver().url_patterns  # noqa: B018
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            result = do_deadline_sweep(sweep_at)
            sweep_s = time.perf_counter() - t0
        sweep_queries = len(queries.captured_queries)
        late = DailyReport.objects.filter(day=DAY, status=ReportStatus.OVERDUE).count()
        missing = DailyReport.objects.filter(
            day=DAY - datetime.timedelta(days=1), status=ReportStatus.MISSING
        ).count()
        print(
            f"sweep: {result.as_dict()} in {sweep_queries} queries; overdue={late} missing(yesterday)={missing} "
            f"accountability={AccountabilityRecord.objects.count()} notifications={Notification.objects.count()}",
            file=sys.stderr,
        )

        client = Client()
        client.force_login(built["office"])
        timings = []
        with time_machine.travel(sweep_at + datetime.timedelta(minutes=30), tick=False):
            for _ in range(args.page_runs + 1):
                t0 = time.perf_counter()
                response = client.get("/reports/completeness/")
                timings.append((time.perf_counter() - t0) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"completeness page answered {response.status_code}")
        page_ms = statistics.median(timings[1:])  # the first run warms template and URL caches
        print(
            json.dumps(
                {
                    "units": args.units,
                    "sweep_seconds": round(sweep_s, 3),
                    "summary_page_ms": round(page_ms, 1),
                    "sweep_queries": sweep_queries,
                    "late_marked": late,
                    "missing_marked": missing,
                    "database": connection.vendor,
                }
            )
        )
    finally:
        _drop_database(admin_url, db_name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
