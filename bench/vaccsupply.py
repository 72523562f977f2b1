"""Benchmark of vaccination and supplies: `python bench/vaccsupply.py --people 100000`.

Sets up a throwaway database (a temporary SQLite file, or a fresh PostgreSQL database `bench_vaccsupply` when
DATABASE_URL points at PostgreSQL), migrates it, creates a district (4 townships × 5 villages × 3 grids) and
bulk-loads `--people` active people with birth dates. Then it times:

- the import of an export of the vaccination system with two doses for 80% of the people (the real action:
  reading, matching by document number, all-or-nothing checks, bulk insert), in rows per second;
- the coverage of the district (every township × band × key group, one grouped query) and of one township;
- the unvaccinated list of one grid (first page);
- `--draws` sequential issues of one item from one warehouse (lock, sum, insert, audit), per draw;
- on PostgreSQL, the same draws from 8 threads at once, checking that stock never goes negative.

The last line printed is one JSON object (milliseconds unless named otherwise).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_vaccsupply"


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
    db_file = Path(tempfile.mkdtemp(prefix="bench-vaccsupply-")) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    return "sqlite"


def _median_ms(fn: Callable[[], Any], runs: int = 5) -> float:
    times = []
    for _i in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--draws", type=int, default=200)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "fangkong.settings"
    engine = _setup_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    call_command("migrate", verbosity=0)

    from fangkong.lib.idnumbers import make as make_id
    from fangkong.people.models import Person
    from fangkong.regions.models import Level, Region
    from fangkong.supplies.actions import InsufficientStock, do_create_warehouse, do_issue, do_receive
    from fangkong.supplies.models import Movement, SupplyItem
    from fangkong.vaccination.actions import do_import_vaccinations
    from fangkong.vaccination.coverage import coverage, unvaccinated
    from fangkong.vaccination.models import VaccineProduct

    rng = random.Random(7)

    def region(code: str, name: str, level: Level, parent: Region | None) -> Region:
        return Region.objects.create(
            code=code,
            name=name,
            level=level,
            parent=parent,
            path=Region.path_for(code, parent),
            is_local=True,
        )

    county = region("410972", "开发区", Level.COUNTY, None)
    grids: list[Region] = []
    townships = []
    for t in range(4):
        township = region(f"41097210{t}", f"镇{t}", Level.TOWNSHIP, county)
        townships.append(township)
        for v in range(5):
            village = region(f"41097210{t}2{v:02d}", f"村{t}{v}", Level.VILLAGE, township)
            grids += [
                region(f"G41097210{t}2{v:02d}{g:02d}", f"第{g}网格", Level.GRID, village) for g in (1, 2, 3)
            ]

    today = timezone.localdate()
    people = []
    used: set[str] = set()
    start = time.perf_counter()
    for i in range(args.people):
        number = ""
        while not number or number in used:
            birth = today - datetime.timedelta(days=rng.randrange(365 * 3, 365 * 90))
            number = make_id("410928", birth, rng.randrange(1000))
        used.add(number)
        people.append(
            Person(name=f"人{i}", document_number=number, birth_date=birth, region=grids[i % len(grids)])
        )
    Person.objects.bulk_create(people, batch_size=5000)
    load_s = round(time.perf_counter() - start, 1)

    product = VaccineProduct.objects.filter(course_doses=2).first()
    assert product is not None  # noqa: S101
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["身份证号", "疫苗名称", "生产企业", "剂次", "接种日期", "接种单位", "疫苗批号"])
    rows = 0
    for p in people:
        if rng.random() < 0.8:
            for dose in (1, 2):
                day = today - datetime.timedelta(days=100 - 28 * dose)
                writer.writerow(
                    [p.document_number, product.name, product.manufacturer, dose, day, "接种点", "L1"]
                )
                rows += 1
    content = out.getvalue().encode("utf-8-sig")
    start = time.perf_counter()
    batch = do_import_vaccinations(None, county, "bench.csv", content, timezone.now())
    import_ms = (time.perf_counter() - start) * 1000
    assert batch.created == rows, batch.message  # noqa: S101

    cov_district = _median_ms(lambda: coverage(county, today))
    cov_township = _median_ms(lambda: coverage(townships[0], today))
    list_grid = _median_ms(lambda: list(unvaccinated(grids[0], today)[:50]))

    now = timezone.now()
    item = SupplyItem.objects.get(code="sampling_tube")
    warehouse = do_create_warehouse(None, townships[0], name="库", address="", now=now)  # type: ignore[arg-type]
    for n in range(5):
        do_receive(
            None,
            warehouse,
            item,
            quantity=args.draws,
            lot_number=f"L{n}",
            expires_on=today + datetime.timedelta(days=60 + n),
            reason="入库",
            now=now,
        )
    draw_ms = _median_ms(
        lambda: do_issue(None, warehouse, item, quantity=1, reason="领用", now=timezone.now()),
        runs=args.draws,
    )

    concurrent: dict[str, Any] = {}
    if engine == "postgresql":
        outcomes: list[str] = []
        lock = threading.Lock()

        def worker() -> None:
            for _i in range(args.draws):
                try:
                    do_issue(None, warehouse, item, quantity=3, reason="并发领用", now=timezone.now())
                    result = "ok"
                except InsufficientStock:
                    result = "refused"
                with lock:
                    outcomes.append(result)
            connections.close_all()

        threads = [threading.Thread(target=worker) for _ in range(8)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        balance = sum(m.quantity for m in Movement.objects.filter(stock__warehouse=warehouse))
        concurrent = {
            "concurrent_draws": len(outcomes),
            "concurrent_ok": outcomes.count("ok"),
            "concurrent_refused": outcomes.count("refused"),
            "concurrent_s": round(time.perf_counter() - start, 2),
            "final_stock": balance,
            "never_negative": balance >= 0,
        }

    print(
        json.dumps(
            {
                "engine": engine,
                "people": args.people,
                "people_load_s": load_s,
                "import_rows": rows,
                "import_ms": round(import_ms),
                "import_rows_per_s": round(rows / (import_ms / 1000)),
                "coverage_district_ms": cov_district,
                "coverage_township_ms": cov_township,
                "unvaccinated_grid_first_page_ms": list_grid,
                "draw_ms": draw_ms,
                **concurrent,
            }
        )
    )


if __name__ == "__main__":
    main()
