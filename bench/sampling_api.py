"""Benchmark of the scanner API: `python bench/sampling_api.py [--seconds 30] [--concurrency 8]`.

Sets up a throwaway SQLite database (or a fresh PostgreSQL database `bench_sampling` when DATABASE_URL points at
PostgreSQL), a township with people, a testing point, a running round and an API token; starts
`manage.py serve --no-jobs` on a free port; then, from a local client with `--concurrency` threads for
`--seconds` each:

- samples: `POST /api/v1/testing/samples`, each a new person into 10-in-1 pools (one barcode per thread, a
  new one when the pool is full) → `rps`, `p99_ms`;
- bare: `GET /api/v1/testing/ping` of the same server, authenticated by the same token (the same middleware,
  the same token read) → `bare_rps`; `ratio` = rps / bare_rps.

The server runs as production does (DEBUG off, `fangkong.demo.settings`). A PostgreSQL run uses its own database
`bench_<BENCH_NAME>_sampling` (BENCH_NAME defaults to the user name), dropped and created afresh. Prints one JSON
line with `rps`, `p50_ms`, `p99_ms`, `bare_rps`, `bare_p50_ms`, `bare_p99_ms`, `ratio`, `errors`.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = f"bench_{os.environ.get('BENCH_NAME') or os.environ.get('USER') or 'fangkong'}_sampling"


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
    db_file = Path(tempfile.mkdtemp(prefix="bench-sampling-")) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    return "sqlite"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(ordered: list[float], p: float) -> float | None:
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))], 2)


def _fire(port: int, seconds: float, concurrency: int, request: Any) -> tuple[int, list[float]]:
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        i = 0
        while time.perf_counter() < stop_at:
            start = time.perf_counter()
            method, path, body, headers = request(n, i)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status >= 400:
                raise RuntimeError(f"{path} answered {response.status}")
            mine.append((time.perf_counter() - start) * 1000)
            i += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies), sorted(latencies)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--people", type=int, default=50_000)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "fangkong.settings"
    engine = _setup_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from stdnum.cn import ric

    from fangkong.accounts.actions import do_create_token
    from fangkong.accounts.models import User
    from fangkong.accounts.permissions import Role
    from fangkong.lib.reporting_day import SHANGHAI
    from fangkong.people.models import Person
    from fangkong.regions.models import Level, Region
    from fangkong.testing.actions import do_create_point, do_create_round

    county = Region.objects.create(code="410972", name="区", level=Level.COUNTY, path="/410972/")
    town = Region.objects.create(
        code="410972100", name="王助镇", level=Level.TOWNSHIP, parent=county, path="/410972/410972100/"
    )
    village = Region.objects.create(
        code="410972100201",
        name="村",
        level=Level.VILLAGE,
        parent=town,
        path="/410972/410972100/410972100201/",
    )
    numbers = []
    people = []
    for n in range(args.people):
        body = f"410928{datetime.date(1950, 1, 1) + datetime.timedelta(days=n // 1000):%Y%m%d}{n % 1000:03d}"
        number = body + ric.calc_check_digit(body + "0")
        numbers.append(number)
        people.append(Person(name="张三", document_number=number, region=village))
    Person.objects.bulk_create(people, batch_size=5000)
    staff = User.objects.create(username="jiance", role=Role.TESTING_STAFF, region=county)
    now = datetime.datetime.now(SHANGHAI)
    point = do_create_point(staff, region=town, name="点", address="路", opening_hours="全天", now=now)
    rnd = do_create_round(staff, name="轮", units=[town], starts_on=now.date(), ends_on=now.date(), now=now)
    _token, raw_token = do_create_token(staff, "bench")

    port = _free_port()
    # Served as production serves it: DEBUG off (no query log kept per request), collected static files.
    env = {
        **os.environ,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "DEBUG": "0",
        "DEMO": "1",
        "FANGKONG_VAR_DIR": tempfile.mkdtemp(prefix="bench-sampling-var-"),
        "DJANGO_SETTINGS_MODULE": "fangkong.demo.settings",
    }
    server = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "serve", "--no-jobs", "--skip-collectstatic", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _i in range(600):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                probe.request("GET", "/healthz")
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.5)
        headers = {"Authorization": f"Bearer {raw_token}", "Content-Type": "application/json"}
        per_thread = args.people // args.concurrency

        def sample(n: int, i: int) -> tuple[str, str, str, dict[str, str]]:
            body = {
                "point": str(point.uuid),
                "round": str(rnd.uuid),
                "capacity": 10,
                "barcode": f"T{n:02d}{i // 10:07d}",
                "id_number": numbers[n * per_thread + i % per_thread],
            }
            return "POST", "/api/v1/testing/samples", json.dumps(body), headers

        ping = ("GET", "/api/v1/testing/ping", "", headers)
        _fire(port, 2, args.concurrency, lambda n, i: ping)  # warm up: connections, imports
        count, lat = _fire(port, args.seconds, args.concurrency, sample)
        bare_count, bare_lat = _fire(port, args.seconds, args.concurrency, lambda n, i: ping)
    finally:
        server.terminate()
        server.wait(timeout=30)
    rps = count / args.seconds
    bare = bare_count / args.seconds
    print(
        json.dumps(
            {
                "engine": engine,
                "seconds": args.seconds,
                "concurrency": args.concurrency,
                "requests": count,
                "rps": round(rps, 1),
                "p50_ms": _percentile(lat, 50),
                "p99_ms": _percentile(lat, 99),
                "bare_rps": round(bare, 1),
                "bare_p50_ms": _percentile(bare_lat, 50),
                "bare_p99_ms": _percentile(bare_lat, 99),
                "ratio": round(rps / bare, 2) if bare else None,
            }
        )
    )


if __name__ == "__main__":
    main()
