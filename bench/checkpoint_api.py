"""Crossing registrations fired at the real server, against a bare JSON endpoint of the same server (issue 14):
`python bench/checkpoint_api.py [--seconds 30] [--concurrency 8] [--rows 10000000] [--few 10000]`.

Makes a fresh install in a temporary `FANGKONG_VAR_DIR` (SQLite there, or the database of `DATABASE_URL`, which
must be one of its own: it is flushed), one checkpoint with a staff account and an API token, and `--few`
crossings of that checkpoint. It times the checkpoint page (median of 7, in process) with `--few` rows, then bulk
loads crossings (executemany on SQLite, COPY on PostgreSQL) until the table holds `--rows`, spread over past days,
and times the page again. Then it starts `manage.py serve --no-jobs` and, from `--concurrency` client threads
with keep-alive connections, posts crossings to `POST /api/v1/checkpoints/{uuid}/crossings` for `--seconds`,
then calls the bare `GET /api/v1/checkpoints/ping` (same token authentication) for as long. One JSON line:
`{"engine", "rows", "rps", "p50_ms", "p99_ms", "bare_rps", "bare_p50_ms", "ratio", "checkpoint_page_ms",
"checkpoint_page_few_ms", "page_ratio", "errors"}`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BODY = {
    "kind": "vehicle",
    "plate": "豫J12345",
    "origin": "河南省郑州市金水区",
    "travellers": [
        {
            "name": "司机",
            "phone": "13900000000",
            "health_code": "green",
            "temperature": "36.5",
            "disposition": "pass",
        },
        {
            "name": "乘客",
            "phone": "13900000001",
            "health_code": "green",
            "temperature": "36.6",
            "disposition": "pass",
        },
    ],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def setup_django(var_dir: str) -> None:
    os.environ["FANGKONG_VAR_DIR"] = var_dir
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(few: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    from importlib import import_module

    from django.apps import apps

    import_module("fangkong.checkpoints.migrations.0002_code_colours_and_report_sources").seed(apps, None)
    from fangkong.accounts.actions import do_create_token
    from fangkong.accounts.models import User
    from fangkong.accounts.permissions import Role
    from fangkong.checkpoints.actions import do_create_checkpoint
    from fangkong.regions.models import Level, Region

    county = Region.objects.create(
        code="410972", name="开发区", level=Level.COUNTY, path=Region.path_for("410972", None)
    )
    town = Region.objects.create(
        code="410972100",
        name="王助镇",
        level=Level.TOWNSHIP,
        parent=county,
        path=Region.path_for("410972100", county),
    )
    cadre = User.objects.create(username="wangzhu", role=Role.TOWNSHIP_CADRE, region=town)
    staff = User.objects.create(username="kakou", role=Role.CHECKPOINT_STAFF, region=town)
    checkpoint = do_create_checkpoint(
        cadre,
        name="卡口",
        kind="township_border",
        region=town,
        supervising_unit=town,
        staff=[staff],
        now=timezone.now(),
    )
    _token, raw = do_create_token(staff, name="bench")
    bulk_load(checkpoint.pk, town.pk, staff.pk, few, days_back=0)
    return {"checkpoint": checkpoint, "cadre": cadre, "token": raw}


def bulk_load(checkpoint_id: int, region_id: int, user_id: int, rows: int, *, days_back: int) -> None:
    """`rows` crossings (one traveller each) registered over the last `days_back` days, generated inside the
    database (a recursive CTE on SQLite, generate_series on PostgreSQL) in chunks of a million, oldest first.

    The uuids are sequential (`00000000-0000-4000-8000-<id>`): valid, unique, and they load in index order, so
    10,000,000 rows fit in a few minutes; the indexes have the size random uuids would give them."""
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from fangkong.checkpoints.models import CodeColour, Crossing, Traveller

    if rows <= 0:
        return
    green = CodeColour.objects.get(code="green").pk
    end = timezone.now() - datetime.timedelta(seconds=1)
    span = max(days_back, 1) * 86400
    start_epoch = end.timestamp() - span
    first = (Crossing.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    last = first + rows - 1
    step = span / rows
    crossing_table, traveller_table = Crossing._meta.db_table, Traveller._meta.db_table
    cols_c = (
        "id, uuid, checkpoint_id, region_id, kind, plate, origin, destination, origin_risk_level, "
        "registered_at, registered_by_id"
    )
    cols_t = (
        "crossing_id, name, document_number, phone, is_driver, health_code_id, trip_star, trip_cities, "
        "vaccination, temperature, temperature_again, fever, wears_mask, disposition, returnee_receipt"
    )
    pg = connection.vendor == "postgresql"
    if pg:
        numbers = "SELECT i FROM generate_series(%s::bigint, %s::bigint) AS g(i)"
        uuid_sql = "('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid"
        time_sql = "to_timestamp(%s + (i - %s) * %s)"
        false, true = "false", "true"
    else:
        numbers = "SELECT i FROM seq"
        uuid_sql = "printf('000000000000400080%%014x', i)"
        time_sql = "strftime('%%Y-%%m-%%d %%H:%%M:%%f', %s + (i - %s) * %s, 'unixepoch')"
        false, true = "0", "1"
    chunk = 1_000_000
    with connection.cursor() as cur:
        if not pg:
            cur.execute("PRAGMA cache_size=-262144")  # 256 MB while loading
    for low in range(first, last + 1, chunk):
        high = min(low + chunk - 1, last)
        prefix = (
            "" if pg else "WITH RECURSIVE seq(i) AS (SELECT %s UNION ALL SELECT i + 1 FROM seq WHERE i < %s) "
        )
        bounds = [low, high]
        insert_c = (
            f"{prefix}INSERT INTO {crossing_table} ({cols_c}) "  # noqa: S608 - table names from models
            f"SELECT i, {uuid_sql}, %s, %s, 'person', '', '河南省郑州市', '', '', {time_sql}, %s "
            f"FROM ({numbers}) AS n"
        )
        insert_t = (
            f"{prefix}INSERT INTO {traveller_table} ({cols_t}) "  # noqa: S608
            f"SELECT i, '张三', '', '', {false}, %s, {false}, '', 'unknown', 36.5, NULL, {false}, {true}, "
            f"'pass', '' FROM ({numbers}) AS n"
        )
        if pg:
            params_c = [checkpoint_id, region_id, start_epoch, first, step, user_id, *bounds]
            params_t = [green, *bounds]
        else:
            params_c = [*bounds, checkpoint_id, region_id, start_epoch, first, step, user_id]
            params_t = [*bounds, green]
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(insert_c, params_c)
            cur.execute(insert_t, params_t)
    with connection.cursor() as cur:
        if pg:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{crossing_table}', 'id'), (SELECT max(id) FROM {crossing_table}))"  # noqa: S608
            )
            cur.execute(f"ANALYZE {crossing_table}")
            cur.execute(f"ANALYZE {traveller_table}")
        else:
            cur.execute("ANALYZE")
            # As a running server's database would be: the load's frames moved from the WAL into the file.
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def page_ms(ctx: dict[str, Any]) -> float:
    from django.test import Client

    client = Client()
    client.force_login(ctx["cadre"])
    url = f"/checkpoints/{ctx['checkpoint'].uuid}/"
    client.get(url)
    samples = []
    for _ in range(7):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code  # noqa: S101
    return statistics.median(samples)


def fire(
    port: int, token: str, method: str, path: str, body: bytes | None, seconds: float, concurrency: int
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status in (200, 201)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            if ok:
                mine.append((time.perf_counter() - started) * 1000)
            else:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--few", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="fk-bench-checkpoints-")
    setup_django(var_dir)
    from django.db import connection

    ctx = build(args.few)
    few_ms = page_ms(ctx)
    bulk_load(
        ctx["checkpoint"].pk,
        ctx["checkpoint"].region_id,
        ctx["cadre"].pk,
        max(args.rows - args.few, 0),
        days_back=365,
    )
    many_ms = page_ms(ctx)
    engine = connection.vendor
    connection.close()

    port = free_port()
    env = {**os.environ, "DEBUG": "0", "DEMO": "1", "DJANGO_SETTINGS_MODULE": "fangkong.demo.settings"}
    log = open(os.environ.get("BENCH_LOG", os.devnull), "w")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "serve",
            "--no-jobs",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(1800):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        token = ctx["token"]
        path = f"/api/v1/checkpoints/{ctx['checkpoint'].uuid}/crossings"
        fire(port, token, "GET", "/api/v1/checkpoints/ping", None, 2, args.concurrency)  # warm up
        crossing, errors = fire(
            port, token, "POST", path, json.dumps(BODY).encode(), args.seconds, args.concurrency
        )
        bare, bare_errors = fire(
            port, token, "GET", "/api/v1/checkpoints/ping", None, args.seconds, args.concurrency
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    rps = len(crossing) / args.seconds
    bare_rps = len(bare) / args.seconds
    print(
        json.dumps(
            {
                "engine": engine,
                "rows": args.rows,
                "seconds": args.seconds,
                "concurrency": args.concurrency,
                "rps": round(rps, 1),
                "p50_ms": round(percentile(crossing, 50), 2),
                "p99_ms": round(percentile(crossing, 99), 2),
                "bare_rps": round(bare_rps, 1),
                "bare_p50_ms": round(percentile(bare, 50), 2),
                "ratio": round(rps / bare_rps, 3) if bare_rps else None,
                "checkpoint_page_ms": round(many_ms, 2),
                "checkpoint_page_few_ms": round(few_ms, 2),
                "page_ratio": round(many_ms / few_ms, 3),
                "errors": errors + bare_errors,
                "server_debug": False,  # the server runs fangkong.demo.settings with DEBUG=0
            }
        )
    )


if __name__ == "__main__":
    main()
