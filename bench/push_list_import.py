"""Benchmark of the push-list import: `python bench/push_list_import.py --rows N [--format csv|xlsx]`.

Generates a realistic pushed list (about 2% invalid rows), sets up a throwaway database (a temporary
SQLite file, or a fresh PostgreSQL database (`--pg-database`, `bench_pushlists` by default) when DATABASE_URL points at PostgreSQL),
migrates it, creates a few regions, then in the same run:

- baseline: reads the same file and bulk-loads the raw rows into a plain table (executemany in one
  transaction on SQLite, COPY on PostgreSQL);
- floor: the writes this design must make (issue 11) — the items with the real indexes, foreign keys and
  the person lookup, by INSERT … SELECT from rows already cleaned — timed and rolled back;
- import: `do_import_push_list`, the real path (validation, matching, routing, items; no people).

Every tenth pushed person is registered as a resident first, so the person lookup finds some. The last
line printed is one JSON object: rows, seconds, cpu_seconds (this process's CPU time during the import; the
database server's is not in it), floor_seconds, floor_ratio (seconds / floor_seconds), the
raw-load ratio (baseline / seconds, as in the screening issue), peak_rss_mb; for XLSX also the time
python-calamine needs just to read the file and xlsx_ratio = seconds / (read + floor).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import itertools
import json
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬建国建华志强海燕晓东文博子涵浩然"
ORIGINS = [
    "南京市江宁区",
    "郑州市二七区",
    "扬州市邗江区",
    "张家界市",
    "上海市浦东新区",
    "北京市朝阳区",
    "广州市白云区",
]
TOWNSHIPS = [
    ("410972100", "王助镇"),
    ("410972101", "新习镇"),
    ("410972102", "皇甫街道"),
    ("410972103", "胡村乡"),
    ("410972104", "濮上街道"),
    ("410972105", "孟轲乡"),
]
HEADER = ["序号", "姓名", "身份证号", "手机号", "来源地", "到达时间", "所属乡镇", "现住址"]


def _setup_database(pg_name: str) -> str:
    """Point Django at a throwaway database before it starts; returns a label for the report."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlparse(url)
        admin = urlunparse(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {pg_name}")
            conn.execute(f"CREATE DATABASE {pg_name}")
        os.environ["DATABASE_URL"] = urlunparse(parts._replace(path=f"/{pg_name}"))
        return "postgresql"
    db_file = Path(tempfile.mkdtemp(prefix="bench-pushlists-")) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    return "sqlite"


def _id_number(rng: random.Random, ric: Any) -> str:
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(0, 26000))
    body = f"4109{rng.randrange(10, 99)}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + ric.calc_check_digit(body + "0")


def _row(i: int, rng: random.Random, ric: Any) -> list[str]:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    id_number = _id_number(rng, ric)
    phone = f"1{rng.choice(('3', '5', '8'))}{rng.choice('012356789')}{rng.randrange(0, 10**8):08d}"
    arrival = f"2021-08-{rng.randrange(1, 15):02d} {rng.randrange(0, 24):02d}:{rng.randrange(0, 60):02d}"
    _code, township = rng.choice(TOWNSHIPS)
    roll = rng.random()
    address = ""
    if roll < 0.6:
        town_text = township
    elif roll < 0.75:
        town_text = township[:2]  # 王助 / 皇甫: short names as people write them
    elif roll < 0.9:
        town_text, address = "", f"{township}{rng.randrange(1, 30)}村{rng.randrange(1, 200)}号"
    else:
        town_text = ""  # unroutable: waits in the command-office queue
    bad = rng.random()
    if bad < 0.005:
        id_number = id_number[:17] + ("0" if id_number[17] != "0" else "1")  # wrong check character
    elif bad < 0.01:
        id_number = f"{int(id_number[:17]) * 10:.5E}".replace("E+0", "E+")  # what Excel shows
    elif bad < 0.015:
        arrival = "2021-02-30 10:00"
    elif bad < 0.02:
        name, phone, id_number = "", "", ""
    return [str(i), name, id_number, phone, rng.choice(ORIGINS), arrival, town_text, address]


def _generate(path: Path, rows: int, fmt: str) -> None:
    from stdnum.cn import ric

    rng = random.Random(20210803)
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            for i in range(1, rows + 1):
                writer.writerow(_row(i, rng, ric))
        return
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["大数据推送人员名单"])
    sheet.append(HEADER)
    for i in range(1, rows + 1):
        sheet.append(_row(i, rng, ric))
    workbook.save(path)


def _raw_rows(path: Path, fmt: str) -> Any:
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            yield from reader
        return
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    for n, row in enumerate(sheet.iter_rows()):
        if n >= 2:
            yield [str(v) for v in row]


def _baseline(path: Path, fmt: str) -> float:
    """Raw bulk load of the same rows into a plain table, the way a DBA would load them."""
    from django.db import connection, transaction

    cols = ", ".join(f"c{i} text" for i in range(len(HEADER)))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw")
        cursor.execute(f"CREATE TABLE bench_raw ({cols})")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy("COPY bench_raw FROM STDIN") as copy:
                for row in _raw_rows(path, fmt):
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(HEADER))
            # In slices: Django's SQLite executemany tees a generator it is given, which holds every
            # row until the call returns (850 MB at a million rows, charged to the import's peak RSS).
            rows = _raw_rows(path, fmt)
            while block := list(itertools.islice(rows, 50_000)):
                cursor.executemany(f"INSERT INTO bench_raw VALUES ({marks})", block)  # noqa: S608
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw")
    return seconds


def _floor(path: Path, fmt: str) -> tuple[float, int]:
    """The least any importer of this design must spend: the writes it has to make, and nothing else.

    Issue 11's floor: the items, with the real indexes, foreign keys and the person lookup, by one
    INSERT … SELECT from rows already cleaned. The same rows are first cleaned without validation and staged
    (not timed); then, timed, one statement inserts an item per row, looking up each row's active person by
    document number (the people of `_residents` are there to be found), into the real table with all its
    indexes and constraints, in row order with ascending uuids, and the deferred foreign-key checks are run.
    Then it is rolled back (and, on PostgreSQL, vacuumed) so the import starts on the same tables. The WAL
    flush of a commit is not counted, nor parsing, validation, routing or deduplication: `seconds /
    floor_seconds` is what those cost on top of the writes. Returns (seconds, rows written).
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from fangkong.people.models import Person
    from fangkong.pushlists.importer import SQLITE_CACHE_KIB
    from fangkong.pushlists.models import PushBatch, PushItem
    from fangkong.regions.models import Level, Region

    qn = connection.ops.quote_name
    pg = connection.vendor == "postgresql"
    person, item = qn(Person._meta.db_table), qn(PushItem._meta.db_table)
    township = Region.objects.get(level=Level.TOWNSHIP, code=TOWNSHIPS[0][0])
    now = timezone.now()
    stamp = now if pg else connection.ops.adapt_datetimefield_value(now)
    hexed = "lpad(to_hex(row_number), 12, '0')" if pg else "printf('%%012x', row_number)"
    uuid = "('f3000000000000000000' || " + hexed + ")" + ("::uuid" if pg else "")

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_floor")
        cursor.execute(
            "CREATE TABLE bench_floor (row_number integer, name text, doc text, phone text, origin text,"
            " arrival text, township_text text, address text)"
        )
        marks = ", ".join(["%s"] * 8)
        rows = _raw_rows(path, fmt)
        while block := list(itertools.islice(rows, 50_000)):
            good = [
                (int(r[0]), r[1], r[2].upper(), "+86" + r[3], r[4], r[5], r[6], r[7])
                for r in block
                if len(r[2]) == 18 or r[3]
            ]
            cursor.executemany(f"INSERT INTO bench_floor VALUES ({marks})", good)  # noqa: S608
        cursor.execute("SELECT count(*) FROM bench_floor")
        written = int(cursor.fetchone()[0])
    cache_size = 0
    started = time.perf_counter()
    transaction.set_autocommit(False)
    try:
        batch_id = PushBatch.objects.create(name="floor", sha256="floor", region=township, created_at=now).pk
        with connection.cursor() as cursor:
            # The same connection settings as the importer's.
            if not pg:
                cursor.execute("PRAGMA cache_size")
                cache_size = int(cursor.fetchone()[0])
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            match = (
                f"(SELECT p.id FROM {person} p WHERE p.is_active AND p.document_type = 'resident_id'"  # noqa: S608
                " AND p.document_number = f.doc LIMIT 1)"
            )
            cursor.execute(
                f"INSERT INTO {item} (uuid, batch_id, row_number, row_key, name, id_number, phone,"  # noqa: S608
                " document_number, phone_e164, id_flag, phone_flag, arrival_flag, flag_note, origin, arrival,"
                " arrived_at, township_text, address, person_id, region_id, route_method, deadline_at,"
                f" outcome, outcome_note, measure_code) SELECT {uuid}, %s, row_number, doc, name, doc, phone,"
                " doc, phone, '', '', '', '', origin, arrival, NULL, township_text, address,"
                f" {match}, %s, 'township', %s, '', '', '' FROM bench_floor f ORDER BY row_number",
                [batch_id, township.pk, stamp],
            )
            if pg:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the checks a commit would run
        seconds = time.perf_counter() - started
    finally:
        connection.rollback()
        transaction.set_autocommit(True)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_floor")
        if not pg:
            cursor.execute(f"PRAGMA cache_size = {cache_size}")  # as the import will find it
        if pg:
            cursor.execute(f"VACUUM ANALYZE {item}")
    return seconds, written


def _residents(path: Path, fmt: str) -> int:
    """Register every tenth pushed person as a resident (not timed), so the person lookup finds some."""
    from django.db import connection, transaction
    from django.utils import timezone

    from fangkong.people.models import Person
    from fangkong.regions.models import Level, Region

    village = Region.objects.filter(level=Level.VILLAGE).order_by("path").first()
    assert village is not None  # noqa: S101
    now = timezone.now()
    seen: set[str] = set()
    people = []
    for n, row in enumerate(_raw_rows(path, fmt)):
        doc = row[2].upper()
        if n % 10 == 0 and len(doc) == 18 and doc[:17].isdigit() and doc not in seen:
            seen.add(doc)
            people.append(
                Person(
                    name=row[1] or "某",
                    document_number=doc,
                    phone="+86" + row[3] if row[3] else "",
                    region=village,
                    created_at=now,
                    updated_at=now,
                )
            )
    with transaction.atomic():
        Person.objects.bulk_create(people, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Person._meta.db_table}")
    return len(people)


def _floor_apart(path: Path, fmt: str) -> tuple[float, int]:
    """`_floor` in a forked process: its staging and page cache must not count in the import's peak RSS."""
    from django.db import connections

    connections.close_all()  # the child opens its own connection
    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(_floor, (path, fmt))


def _regions() -> None:
    from fangkong.regions.models import Level, Region

    county = Region.objects.create(
        code="410972", name="濮阳经济技术开发区", level=Level.COUNTY, path="/410972/"
    )
    for code, name in TOWNSHIPS:
        township = Region.objects.create(
            code=code, name=name, level=Level.TOWNSHIP, parent=county, path=Region.path_for(code, county)
        )
        Region.objects.create(
            code=code + "201",
            name=name[:2] + "村",
            level=Level.VILLAGE,
            parent=township,
            path=Region.path_for(code + "201", township),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument(
        "--pg-database",
        default="bench_pushlists",
        help="name of the throwaway PostgreSQL database (dropped and created), so parallel runs do not clash",
    )
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    work = Path(tempfile.mkdtemp(prefix="bench-pushlists-files-"))
    os.environ["FANGKONG_VAR_DIR"] = str(work / "var")
    database = _setup_database(args.pg_database)

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from fangkong.pushlists.actions import do_import_push_list

    call_command("migrate", verbosity=0)
    _regions()
    path = work / f"push-list.{args.format}"
    started = time.perf_counter()
    _generate(path, args.rows, args.format)
    print(
        f"generated {args.rows} rows ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f}s",
        file=sys.stderr,
    )

    extra: dict[str, Any] = {}
    if args.format == "xlsx":
        started = time.perf_counter()
        count = sum(1 for _ in _raw_rows(path, "xlsx"))
        extra["calamine_read_seconds"] = round(time.perf_counter() - started, 3)
        extra["calamine_rows"] = count

    residents = _residents(path, args.format)
    print(f"{residents} residents registered", file=sys.stderr)
    baseline = _baseline(path, args.format)
    print(f"baseline {baseline:.2f}s", file=sys.stderr)
    floor, floor_rows = _floor_apart(path, args.format)
    print(f"floor {floor:.2f}s ({floor_rows} rows)", file=sys.stderr)

    rss_before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # CPU time of this process (not the database server's): on a shared, loaded machine it moves far less
    # than the wall-clock seconds, so before/after comparisons of the Python side use it.
    cpu_started = time.process_time()
    started = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
        batch = profiler.runcall(do_import_push_list, None, path, "bench", timezone.now(), 24, None)
        profiler.dump_stats(os.environ["BENCH_PROFILE"])
    else:
        batch = do_import_push_list(None, path, "bench", timezone.now(), 24, None)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    if args.format == "xlsx":
        # The least an XLSX import can take is reading the file plus the floor (issue 11: ≤ 1.5×).
        extra["xlsx_ratio"] = round(seconds / (extra["calamine_read_seconds"] + floor), 3)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "rows": args.rows,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "rows_per_s": round(args.rows / seconds),
        "baseline_rows_per_s": round(args.rows / baseline),
        "ratio": round(baseline / seconds, 3),
        "floor_seconds": round(floor, 3),
        "floor_rows": floor_rows,
        "floor_ratio": round(seconds / floor, 3),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "rss_before_import_mb": round(rss_before_mb, 1),
        "database": database,
        "format": args.format,
        "status": batch.status,
        "imported": batch.rows_imported,
        "errors": batch.rows_error,
        "flagged": batch.rows_flagged,
        "people_matched": batch.people_matched,
        "residents": residents,
        "unroutable": batch.rows_unroutable,
        **extra,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
