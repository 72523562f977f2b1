"""Benchmark of a mass-testing round: `python bench/testing_round.py --people N` (issue 13 names 1,000,000).

Sets up a throwaway database (a temporary SQLite file, or a fresh PostgreSQL database `bench_testing`, or
`$BENCH_DB`, when DATABASE_URL points at PostgreSQL), loads N people into 6 townships × 10 villages × 3 grids, then in one run:

- samples: the round registers everyone as N/10 closed 10-in-1 pools through the real action path
  (`do_register_pools`, batches of 500 pools), not HTTP → `sample_rows_per_s` (member rows per second);
- baseline: the same tube and member rows bulk-loaded raw into plain tables (executemany / COPY) →
  `baseline_rows_per_s`, `ratio` = sample_rows_per_s / baseline_rows_per_s;
- results: a lab CSV of N/10 results with 1% positive pools, imported by `do_import_results` (all or nothing,
  negatives → members, positives → recall rows and an urgent report) → `result_import_seconds`; this includes
  the control app's receivers (results onto due tests, set-based; every positive pool member's control order
  started in bulk from `pools_positive`) unless `--no-control`;
- recall: the recall board of the positive pools' members read as the command office → `recall_seconds`;
- coverage: the round's coverage page (per township) as the command office, median of 5 → `coverage_page_ms`.

Prints one JSON line, with `peak_rss_mb`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
# Named for the engineer that runs it (`BENCH_DB` in the environment): parallel runs never share a database.
BENCH_DB = os.environ.get("BENCH_DB", "bench_testing")


def _setup_database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlparse(url)
        admin = urlunparse(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = urlunparse(parts._replace(path=f"/{BENCH_DB}"))
        return "postgresql"
    db_file = Path(tempfile.mkdtemp(prefix="bench-testing-")) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    return "sqlite"


def _bulk(
    connection: Any, engine: str, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    with connection.cursor() as cur:
        if engine == "postgresql":
            with cur.connection.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument(
        "--no-control",
        action="store_true",
        help="disconnect the control app's receivers: the import without starting a control order per member",
    )
    args = parser.parse_args()
    n_people = args.people - args.people % 10

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "fangkong.settings"
    engine = _setup_database()
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    call_command("migrate", verbosity=0)
    # The first reverse() imports every app's URLs (about 1.5 s): a server has done it long before an import.
    from django.urls import reverse

    reverse("testing:home")
    if args.no_control:
        from fangkong.testing.signals import pools_positive, results_recorded

        results_recorded.disconnect(dispatch_uid="control.test_results")
        pools_positive.disconnect(dispatch_uid="control.pools_positive")

    from fangkong.accounts.models import User
    from fangkong.accounts.permissions import Role
    from fangkong.lib.reporting_day import SHANGHAI
    from fangkong.regions.models import Level, Region
    from fangkong.testing.actions import (
        PoolIn,
        do_create_point,
        do_create_round,
        do_import_results,
        do_register_pools,
    )
    from fangkong.testing.models import Recall

    def region(code: str, name: str, level: Level, parent: Region | None) -> Region:
        return Region.objects.create(
            code=code, name=name, level=level, parent=parent, path=Region.path_for(code, parent)
        )

    county = region("410972", "濮阳经济技术开发区", Level.COUNTY, None)
    grids: list[Region] = []
    for t in range(6):
        town = region(f"410972{100 + t}", f"乡镇{t}", Level.TOWNSHIP, county)
        for v in range(10):
            village = region(f"{town.code}{200 + v}", f"村{t}-{v}", Level.VILLAGE, town)
            grids += [
                region(f"G{village.code}{g + 1:02d}", f"第{g + 1}网格", Level.GRID, village) for g in range(3)
            ]
    now = datetime.datetime.now(SHANGHAI).replace(hour=9, minute=0, second=0, microsecond=0)
    if now > datetime.datetime.now(SHANGHAI):
        now -= datetime.timedelta(days=1)
    columns = [
        "uuid",
        "name",
        "name_initials",
        "name_pinyin",
        "document_type",
        "document_number",
        "sex",
        "phone",
        "address",
        "region_id",
        "is_active",
        "created_at",
        "updated_at",
    ]
    # Generated as they are written (a list of a million rows would be most of the peak RSS).
    people_rows = (
        (
            str(uuid.uuid4()),
            "张三",
            "zs",
            "zhangsan",
            "resident_id",
            f"B{n:017d}",
            "U",
            f"+86139{n:08d}",
            "",
            grids[n % len(grids)].pk,
            True,
            now,
            now,
        )
        for n in range(n_people)
    )
    with transaction.atomic():
        _bulk(connection, engine, "people_person", columns, people_rows)

    def analyze() -> None:
        """Table statistics as autovacuum keeps them on a running server (a table filled seconds ago has none,
        and PostgreSQL then plans a scan of a million rows as if it were empty)."""
        with connection.cursor() as cur:
            cur.execute("ANALYZE")

    analyze()
    person_ids = list(
        __import__("fangkong.people.models", fromlist=["Person"])
        .Person.objects.order_by("region_id", "id")
        .values_list("id", flat=True)
    )
    staff = User.objects.create(username="jiance", role=Role.TESTING_STAFF, region=county)
    office = User.objects.create(username="office", role=Role.COMMAND_OFFICE, region=county)
    point = do_create_point(
        staff,
        region=Region.objects.get(code="410972100"),
        name="采样点",
        address="路1号",
        opening_hours="08:00–18:00",
        now=now,
    )
    rnd = do_create_round(
        staff, name="全员核酸", units=[county], starts_on=now.date(), ends_on=now.date(), now=now
    )

    # Samples through the real action path, 500 pools a batch.
    pools = [PoolIn(f"T{n:09d}", 10, person_ids[n * 10 : n * 10 + 10]) for n in range(n_people // 10)]
    start = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx(
            "do_register_pools(staff, point=point, pools=pools[:500], purpose='round', rnd=rnd, now=now)",
            globals(),
            locals(),
            sort="cumtime",
        )
        pools = pools[500:]
    for b in range(0, len(pools), 500):
        do_register_pools(staff, point=point, pools=pools[b : b + 500], purpose="round", rnd=rnd, now=now)
    sample_s = time.perf_counter() - start

    # Baseline: the same rows, raw, into plain tables of the same shape.
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE bench_tube (barcode varchar(40), capacity int, status varchar(10), region_id int,"
            " point_id int, opened_at timestamp with time zone, sampled_on date, member_count int)"
        )
        cur.execute(
            "CREATE TABLE bench_member (tube varchar(40), person_id int, position int, round_id int,"
            " sampled_at timestamp with time zone, sampled_on date)"
        )
    start = time.perf_counter()
    with transaction.atomic():
        _bulk(
            connection,
            engine,
            "bench_tube",
            [
                "barcode",
                "capacity",
                "status",
                "region_id",
                "point_id",
                "opened_at",
                "sampled_on",
                "member_count",
            ],
            ((p.barcode, 10, "closed", point.region_id, point.pk, now, now.date(), 10) for p in pools),
        )
        _bulk(
            connection,
            engine,
            "bench_member",
            ["tube", "person_id", "position", "round_id", "sampled_at", "sampled_on"],
            (
                (p.barcode, pid, i, rnd.pk, now, now.date())
                for p in pools
                for i, pid in enumerate(p.person_ids, 1)
            ),
        )
    baseline_s = time.perf_counter() - start

    analyze()
    # Lab results: 1% positive pools.
    rng = random.Random(13)
    lab = Path(tempfile.mkdtemp(prefix="bench-testing-lab-")) / "lab.csv"
    resulted_at = now + datetime.timedelta(hours=4)
    with lab.open("w", encoding="utf-8") as fh:
        fh.write("条码,结果,ORF1ab,N,检测时间,检测机构\n")
        for p in pools:
            if rng.random() < 0.01:
                fh.write(
                    f"{p.barcode},阳性,{rng.uniform(20, 35):.1f},{rng.uniform(20, 35):.1f},{resulted_at:%Y-%m-%d %H:%M},疾控\n"
                )
            else:
                fh.write(f"{p.barcode},阴性,,,{resulted_at:%Y-%m-%d %H:%M},疾控\n")
    start = time.perf_counter()
    if os.environ.get("BENCH_PROFILE_IMPORT"):
        import cProfile

        profiler = cProfile.Profile()
        batch = profiler.runcall(
            do_import_results, staff, lab, "lab.csv", now=resulted_at + datetime.timedelta(minutes=5)
        )
        profiler.print_stats(sort="cumtime")
    else:
        batch = do_import_results(staff, lab, "lab.csv", now=resulted_at + datetime.timedelta(minutes=5))
    import_s = time.perf_counter() - start
    if batch.status != "done":
        raise RuntimeError(f"import refused: {batch.message} {batch.errors[:3]}")

    client = Client()
    client.force_login(office)
    start = time.perf_counter()
    response = client.get("/testing/recalls/", {"open": "1"})
    recall_s = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError("recall board failed")

    def coverage() -> float:
        t0 = time.perf_counter()
        r = client.get(f"/testing/rounds/{rnd.uuid}/")
        if r.status_code != 200:
            raise RuntimeError("coverage page failed")
        return (time.perf_counter() - t0) * 1000

    coverage_ms = statistics.median(coverage() for _ in range(5))
    rows = n_people
    result = {
        "engine": engine,
        "people": n_people,
        "control_receivers": not args.no_control,
        "pools": len(pools),
        "sample_rows_per_s": round(rows / sample_s),
        "baseline_rows_per_s": round((rows + len(pools)) / baseline_s),
        "ratio": round((rows / sample_s) / ((rows + len(pools)) / baseline_s), 2),
        "result_import_seconds": round(import_s, 2),
        "recall_rows": Recall.objects.count(),
        "recall_seconds": round(recall_s, 2),
        "coverage_page_ms": round(coverage_ms, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
