"""Benchmark of the people list at scale: `python bench/people_list.py --rows 1000000`.

Sets up a throwaway database (a temporary SQLite file, or a fresh PostgreSQL database `bench_people_list`
when DATABASE_URL points at PostgreSQL), migrates it, creates a district (6 townships × 10 villages × 3 grids)
and bulk-loads `--rows` active people (executemany on SQLite, COPY on PostgreSQL). Then it times, as the
command office (the whole district) and as a township cadre, through the real views and API:

- the first page of `/people/`, a page in the middle (a keyset cursor) and the page after it;
- searches: pinyin initials (`zs`), a pinyin prefix (`zhang`), a name (`张伟`) and a surname alone (`张`), the
  last four digits, a whole ID number;
- `/api/v1/people/?limit=200`;
- for comparison, what the list did before: COUNT(*) of the scope plus OFFSET to the same middle page.

Each figure is the median of 5 requests, in milliseconds. The last line printed is one JSON object.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬建国志海燕晓东文博子涵浩然"
BENCH_DB = "bench_people_list"


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
    db_file = Path(tempfile.mkdtemp(prefix="bench-people-")) / "bench.sqlite3"
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
    parser.add_argument("--rows", type=int, default=1_000_000)
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
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)

    from pypinyin import Style, lazy_pinyin
    from stdnum.cn import ric

    from fangkong.accounts.models import User
    from fangkong.accounts.permissions import Role
    from fangkong.people.models import Person
    from fangkong.regions.models import Level, Region

    def region(code: str, name: str, level: Level, parent: Region | None) -> Region:
        return Region.objects.create(
            code=code, name=name, level=level, parent=parent, path=Region.path_for(code, parent)
        )

    county = region("410972", "濮阳经济技术开发区", Level.COUNTY, None)
    grids: list[Region] = []
    townships = []
    for t in range(6):
        town = region(f"410972{100 + t}", f"乡镇{t}", Level.TOWNSHIP, county)
        townships.append(town)
        for v in range(10):
            village = region(f"{town.code}{200 + v}", f"村{t}-{v}", Level.VILLAGE, town)
            for g in range(3):
                grids.append(region(f"G{village.code}{g + 1:02d}", f"第{g + 1}网格", Level.GRID, village))

    # Pinyin per character once, not per row: a million pypinyin calls would dominate the load.
    full = {ch: lazy_pinyin(ch)[0] for ch in SURNAMES + GIVEN}
    first = {ch: lazy_pinyin(ch, style=Style.FIRST_LETTER)[0] for ch in SURNAMES + GIVEN}
    rng = random.Random(20210801)
    now = datetime.datetime.now(datetime.UTC)
    columns = (
        "uuid, name, name_initials, name_pinyin, document_type, document_number, sex, birth_date, phone,"
        " address, region_id, is_active, created_at, updated_at"
    )
    sample_number = ""

    def rows() -> Any:
        nonlocal sample_number
        for n in range(args.rows):
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _i in range(rng.choice((1, 2))))
            # Unique numbers: (sequence, area, birth day) are three digits of n.
            birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=n // 90000 * 7 + rng.randrange(7))
            body = f"4109{n // 1000 % 90 + 10:02d}{birth:%Y%m%d}{n % 1000:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if n == args.rows // 2:
                sample_number = number
            yield (
                str(uuid.uuid4()),
                name,
                "".join(first[c] for c in name),
                "".join(full[c] for c in name),
                "resident_id",
                number,
                rng.choice("MF"),
                birth,
                f"+86139{n:08d}",
                "",
                grids[n % len(grids)].pk,
                True,
                now,
                now,
            )

    load_start = time.perf_counter()
    with transaction.atomic():
        if engine == "postgresql":
            with connection.cursor() as cur:
                raw = cur.connection  # psycopg 3
                with raw.cursor().copy(f"COPY people_person ({columns}) FROM STDIN") as copy:
                    for row in rows():
                        copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * 14)
            insert = f"INSERT INTO people_person ({columns}) VALUES ({placeholders})"  # noqa: S608 - constants
            with connection.cursor() as cur:
                batch: list[Any] = []
                for row in rows():
                    batch.append(row)
                    if len(batch) == 10000:
                        cur.executemany(insert, batch)
                        batch = []
                if batch:
                    cur.executemany(insert, batch)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    load_s = round(time.perf_counter() - load_start, 1)

    office = User.objects.create(username="office", role=Role.COMMAND_OFFICE, region=county)
    cadre = User.objects.create(username="cadre", role=Role.TOWNSHIP_CADRE, region=townships[0])

    from django.test import Client

    from fangkong.people.access import people_for
    from fangkong.people.paging import encode_cursor

    results: dict[str, Any] = {"engine": engine, "rows": args.rows, "load_s": load_s}
    middle = Person.objects.order_by("name_pinyin", "id")[args.rows // 2 : args.rows // 2 + 1].get()
    cursor = encode_cursor(middle)
    number = sample_number
    for label, user in (("office", office), ("township", cadre)):
        client = Client()
        client.force_login(user)

        def get(url: str, data: dict[str, Any] | None = None, client: Client = client) -> None:
            response = client.get(url, data or {})
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")

        results[f"{label}_first_page_ms"] = _median_ms(lambda: get("/people/"))
        results[f"{label}_middle_page_ms"] = _median_ms(lambda: get("/people/", {"after": cursor}))
        results[f"{label}_search_zs_ms"] = _median_ms(lambda: get("/people/", {"q": "zs"}))
        results[f"{label}_search_zhang_ms"] = _median_ms(lambda: get("/people/", {"q": "zhang"}))
        results[f"{label}_search_name_zhangwei_ms"] = _median_ms(lambda: get("/people/", {"q": "张伟"}))
        results[f"{label}_search_name_zhang_ms"] = _median_ms(lambda: get("/people/", {"q": "张"}), runs=3)
        results[f"{label}_search_last4_ms"] = _median_ms(lambda: get("/people/", {"q": number[-4:]}))
        results[f"{label}_search_whole_id_ms"] = _median_ms(lambda: get("/people/", {"q": number}))
        results[f"{label}_api_limit200_ms"] = _median_ms(lambda: get("/api/v1/people/", {"limit": 200}))

        def before(user: User = user) -> None:
            # What the list did before: COUNT(*) over the scope, then OFFSET to the same middle page.
            qs = people_for(user).order_by("name_pinyin", "id")
            total = qs.count()
            offset = min(args.rows // 2, max(total - 50, 0))
            list(qs[offset : offset + 50])

        results[f"{label}_before_count_offset_ms"] = _median_ms(before, runs=3)
    print(json.dumps(results, ensure_ascii=False))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
