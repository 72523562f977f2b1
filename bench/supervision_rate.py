"""Benchmark of the supervision pages at scale: `python bench/supervision_rate.py --items 100000`.

Sets up a throwaway database (a temporary SQLite file, or a fresh PostgreSQL database `bench_supervision` when
DATABASE_URL points at PostgreSQL), migrates it, creates a district (6 townships × 10 villages) and bulk-creates
`--items` rectification items (85% closed, some overdue) through the ORM's bulk_create. Then it times, as the
command office (the whole district) and as a township cadre, through the real views:

- `/supervision/` (the rate by kind and unit, then the first page of items, overdue first);
- `/supervision/?status=open` and the figure `supervision.items_overdue` for the district;
- `rate_table` alone (the one pass over the scoped items).

Each figure is the median of 5 runs in milliseconds; the last line printed is one JSON object.
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
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_supervision"


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
    db_file = Path(tempfile.mkdtemp(prefix="bench-supervision-")) / "bench.sqlite3"
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
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "fangkong.settings"
    engine = _setup_database()
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)

    from fangkong.accounts.models import User
    from fangkong.accounts.permissions import Role
    from fangkong.regions.models import Level, Region
    from fangkong.reporting.sources import source_value
    from fangkong.supervision.figures import rate_table
    from fangkong.supervision.models import RectificationItem, RectificationKind, RectificationStatus

    def region(code: str, name: str, level: Level, parent: Region | None) -> Region:
        return Region.objects.create(
            code=code, name=name, level=level, parent=parent, path=Region.path_for(code, parent)
        )

    county = region("410972", "濮阳经济技术开发区", Level.COUNTY, None)
    villages = []
    townships = []
    for t in range(6):
        town = region(f"410972{100 + t}", f"乡镇{t}", Level.TOWNSHIP, county)
        townships.append(town)
        villages += [region(f"{town.code}{200 + v}", f"村{t}-{v}", Level.VILLAGE, town) for v in range(10)]

    def user(name: str, role: Role, where: Region) -> User:
        u = User(username=name, role=role, region=where)
        u.set_unusable_password()
        u.save()
        return u

    office = user("office", Role.COMMAND_OFFICE, county)
    inspector = user("ducha", Role.INSPECTOR, county)
    cadre = user("cadre", Role.TOWNSHIP_CADRE, townships[0])
    rng = random.Random(2021)
    now = timezone.now()
    today = timezone.localdate()
    kinds = list(RectificationKind.values)
    load_start = time.perf_counter()
    batch = []
    for n in range(args.items):
        closed = rng.random() < 0.85
        found = now - datetime.timedelta(hours=rng.randrange(1, 24 * 90))
        batch.append(
            RectificationItem(
                region=rng.choice(villages),
                place_kind="checkpoint",
                place_name=f"卡口{n % 50}",
                description="值守人员未逐人查验",
                kind=rng.choice(kinds),
                due_on=today + datetime.timedelta(days=rng.randrange(-30, 10)),
                status=RectificationStatus.CLOSED if closed else RectificationStatus.OPEN,
                found_at=found,
                found_by=inspector,
                closed_at=found + datetime.timedelta(hours=5) if closed else None,
            )
        )
        if len(batch) == 5000:
            RectificationItem.objects.bulk_create(batch)
            batch = []
    RectificationItem.objects.bulk_create(batch)
    load_s = round(time.perf_counter() - load_start, 1)

    results: dict[str, Any] = {"engine": engine, "items": args.items, "load_s": load_s}
    for who in (office, cadre):
        client = Client()
        client.force_login(who)
        for name, url in (("home", "/supervision/"), ("open", "/supervision/?status=open")):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)  # noqa: S101
            results[f"{who.username}_{name}_ms"] = _median_ms(partial(client.get, url))
    results["rate_table_district_ms"] = _median_ms(
        lambda: rate_table(RectificationItem.objects.all(), county, today)
    )
    results["overdue_figure_district_ms"] = _median_ms(
        lambda: source_value("supervision.items_overdue", county, today, now)
    )
    results["overdue"] = source_value("supervision.items_overdue", county, today, now)
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
