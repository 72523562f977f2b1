"""Other users' writes while a push list imports (issue 11): `python bench/write_latency.py [--rows 400000]
[--writers 20] [--min-seconds 0]`.

Makes a fresh install in a temporary `FANGKONG_VAR_DIR` (SQLite, or a fresh PostgreSQL database
`bench_write_latency` when DATABASE_URL points at PostgreSQL): migrate, a county with a township, village and
grid, a grid worker. It starts `manage.py serve --no-jobs` (gunicorn gthread, as in production), then runs
`manage.py import_push_list` on a generated list of `--rows` rows in its own process, and while the batch is
`running`, `--writers` threads write through the server as people do: a login through the login page (session,
last login, audit), an API token (a login of a device), a returnee registration with that token (a person, a
report, audit) and a token-authenticated read (which must not write). Every request is timed.

It prints one JSON line: `{"database", "rows", "import_seconds", "requests", "p50_ms", "p99_ms", "max_ms",
"errors", "by_kind"}` (figures of the requests made while the import ran). Targets (issue 11): p99_ms ≤ 1500,
errors = 0. Daily-report drafts are not among the writes (a filing needs the whole form of the day).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.push_list_import import _generate  # noqa: E402
from bench.slow_download import _free_port, stop_server  # noqa: E402

PASSWORD = "bench-Pass-2021"  # noqa: S105 - a throwaway install
SETUP = f"""
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.regions.models import Level, Region

county = Region.objects.create(code="410972", name="濮阳经济技术开发区", level=Level.COUNTY, path="/410972/")
town = Region.objects.create(code="410972100", name="王助镇", level=Level.TOWNSHIP, parent=county,
                             path=Region.path_for("410972100", county))
Region.objects.create(code="410972101", name="新习镇", level=Level.TOWNSHIP, parent=county,
                      path=Region.path_for("410972101", county))
village = Region.objects.create(code="410972100201", name="王助村", level=Level.VILLAGE, parent=town,
                                path=Region.path_for("410972100201", town))
grid = Region.objects.create(code="410972100201001", name="第1网格", level=Level.GRID, parent=village,
                             path=Region.path_for("410972100201001", village))
for username, role, region in (("wangge", Role.GRID_WORKER, grid), ("zhihuibu", Role.COMMAND_OFFICE, county)):
    user = User(username=username, full_name=username, role=role, region=region)
    user.set_password("{PASSWORD}")
    user.save()
print("GRID", grid.code)
"""


def _environment(var_dir: Path, database_url: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG")
    }
    env.update({"DEMO": "1", "FANGKONG_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "fangkong.settings"})
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _database() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return "sqlite", ""
    import psycopg

    parts = urllib.parse.urlparse(url)
    admin = urllib.parse.urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS bench_write_latency")
        conn.execute("CREATE DATABASE bench_write_latency")
    return "postgresql", urllib.parse.urlunparse(parts._replace(path="/bench_write_latency"))


class BatchState:
    """Reads the batch's status straight from the database (not through the server under test)."""

    def __init__(self, database: str, var_dir: Path, url: str) -> None:
        self.database, self.path, self.url = database, var_dir / "fangkong.sqlite3", url

    def status(self) -> str | None:
        query = "SELECT status FROM pushlists_pushbatch ORDER BY id DESC LIMIT 1"
        if self.database == "sqlite":
            with sqlite3.connect(self.path, timeout=60) as db:
                row = db.execute(query).fetchone()
        else:
            import psycopg

            with psycopg.connect(self.url) as conn:
                row = conn.execute(query).fetchone()
        return row[0] if row else None


class Writer(threading.Thread):
    def __init__(self, n: int, port: int, grid: str, running: threading.Event, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.n, self.port, self.grid, self.running, self.stop = n, port, grid, running, stop
        self.samples: list[tuple[str, float, bool]] = []

    def _request(
        self, kind: str, method: str, path: str, body: str | None, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        started = time.perf_counter()
        ok = False
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            ok = response.status < 400
            result = response.status, {k.lower(): v for k, v in response.getheaders()}, data
            set_cookies = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
            result[1]["set-cookie"] = "\n".join(set_cookies)
            return result
        except OSError:
            return 0, {}, b""
        finally:
            took = time.perf_counter() - started
            conn.close()
            if self.running.is_set() and kind:
                self.samples.append((kind, took, ok))

    def run(self) -> None:
        self.running.wait()
        serial = 0
        while not self.stop.is_set():
            serial += 1
            # A login through the page: the CSRF cookie from the form, then the POST.
            _s, headers, page = self._request("", "GET", "/accounts/login/", None, {})
            csrf = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", ""))
            field = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if csrf and field:
                form = urllib.parse.urlencode(
                    {
                        "username": "wangge",
                        "password": PASSWORD,
                        "csrfmiddlewaretoken": field.group(1).decode(),
                    }
                )
                status, _h, _b = self._request(
                    "login",
                    "POST",
                    "/accounts/login/",
                    form,
                    {
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": f"csrftoken={csrf.group(1)}",
                    },
                )
                if status != 302 and self.running.is_set():
                    self.samples.append(("login_refused", 0.0, False))
            status, _h, body = self._request(
                "token",
                "POST",
                "/api/v1/auth/token",
                json.dumps({"username": "wangge", "password": PASSWORD, "name": f"bench-{self.n}-{serial}"}),
                {"Content-Type": "application/json"},
            )
            if status != 201:
                continue
            bearer = {
                "Authorization": f"Bearer {json.loads(body)['token']}",
                "Content-Type": "application/json",
            }
            self._request("read", "GET", "/api/v1/push-lists/items", None, bearer)
            body_in = json.dumps(
                {
                    "region_code": self.grid,
                    "name": "返乡人员",
                    "document_number": _id(self.n * 100_000 + serial),
                    "phone": "",
                    "origin_province": "江苏省",
                    "origin_city": "南京市",
                    "status": "returned",
                    "return_date": time.strftime("%Y-%m-%d"),
                    "transport_mode": "train",
                }
            )
            self._request("returnee", "POST", "/api/v1/screening/returnees", body_in, bearer)


def _id(n: int) -> str:
    from stdnum.cn import ric

    body = f"410928{1950 + n // 300_000 % 60}{(n // 1000) % 12 + 1:02d}{(n // 10) % 28 + 1:02d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--writers", type=int, default=20)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-write-latency-"))
    var_dir = work / "var"
    var_dir.mkdir()
    database, url = _database()
    env = _environment(var_dir, url)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    out = subprocess.run(  # noqa: S603
        [*manage, "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    grid = re.search(r"^GRID (\S+)$", out, re.M)
    assert grid, out  # noqa: S101
    source = work / "push-list.csv"
    _generate(source, args.rows, "csv")

    port = _free_port()
    server = _start(port, env)
    state = BatchState(database, var_dir, url)
    running, stop = threading.Event(), threading.Event()
    writers = [Writer(n, port, grid.group(1), running, stop) for n in range(args.writers)]
    for writer in writers:
        writer.start()
    for _ in range(8):  # both workers load the application before the clock starts
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        warm.request("GET", "/accounts/login/")
        warm.getresponse().read()
        warm.close()
    try:
        started = time.perf_counter()
        importing = subprocess.Popen(  # noqa: S603
            [*manage, "import_push_list", str(source), "--user", "zhihuibu"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        while importing.poll() is None and state.status() != "running":
            time.sleep(0.05)
        running.set()
        while importing.poll() is None and state.status() == "running":
            time.sleep(0.2)
        running.clear()
        stop.set()
        _out, err = importing.communicate()
        import_seconds = time.perf_counter() - started
        for writer in writers:
            writer.join(180)
    finally:
        stop.set()
        stop_server(server)
    samples = [s for w in writers for s in w.samples]
    times = sorted(t * 1000 for _k, t, _ok in samples)
    by_kind: dict[str, Any] = {}
    for kind in sorted({k for k, _t, _ok in samples}):
        mine = sorted(t * 1000 for k, t, _ok in samples if k == kind)
        by_kind[kind] = {
            "n": len(mine),
            "p99_ms": round(_quantile(mine, 0.99), 1),
            "errors": sum(1 for k, _t, ok in samples if k == kind and not ok),
        }
    result = {
        "database": database,
        "rows": args.rows,
        "writers": args.writers,
        "import_returncode": importing.returncode,
        "import_seconds": round(import_seconds, 1),
        "import_stderr_tail": err.decode(errors="replace")[-300:] if importing.returncode else "",
        "requests": len(times),
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p99_ms": round(_quantile(times, 0.99), 1) if times else None,
        "max_ms": round(times[-1], 1) if times else None,
        "errors": sum(1 for _k, _t, ok in samples if not ok),
        "by_kind": by_kind,
    }
    print(json.dumps(result, ensure_ascii=False))


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(q * len(values)))]


def _start(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`manage.py serve --no-jobs` as an operator runs it (gthread workers), on this install's database."""
    argv = [sys.executable, "manage.py", "serve", "--port", str(port), "--no-jobs"]
    proc = subprocess.Popen(  # noqa: S603
        argv,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(os.environ["BENCH_LOG"], "ab") if os.environ.get("BENCH_LOG") else subprocess.DEVNULL,  # noqa: SIM115
        start_new_session=True,  # so that stopping it stops gunicorn too
    )
    deadline = time.monotonic() + 600  # serve collects the static files first
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            time.sleep(0.3)
            continue
        return proc
    stop_server(proc)
    raise RuntimeError("the server did not start")


if __name__ == "__main__":
    main()
