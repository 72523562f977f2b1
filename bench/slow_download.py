"""A large people export downloaded by a slow client through the real server (issue 8):
`python bench/slow_download.py [--size-mb 87] [--seconds 75] [--timeout 30] [--worker-class gthread]`.

Makes a fresh SQLite install in a temporary `FANGKONG_VAR_DIR` (migrate, one command-office account, one
finished export of `--size-mb` MB — the size of a million people's export), starts `manage.py serve --no-jobs`
with gunicorn's `--timeout`, and downloads the export through `/people/exports/<uuid>/download` while reading
at most `size / seconds` bytes a second, like a slow link. It prints one JSON line:
`{"worker_class": …, "timeout_s": …, "size_bytes": …, "received_bytes": …, "seconds": …, "complete": …}`
and exits 0 only when every byte arrived. `BENCH_LOG=FILE` keeps the server's log (gunicorn's
`WORKER TIMEOUT` lines).

With gunicorn's sync workers the whole request must end within `--timeout`: a download slower than that is
cut off when the arbiter kills the worker (`--worker-class sync` shows it). `serve` runs gthread workers,
whose timeout is the worker's heartbeat, sent by its main thread while a thread streams the file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TypedDict

ROOT = Path(__file__).resolve().parents[1]

SETUP = """
import uuid
from django.conf import settings
from django.test import Client
from django.utils import timezone
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.people.actions import export_dir
from fangkong.people.models import ExportStatus, PeopleExport
from fangkong.regions.models import Level, Region

county = Region.objects.create(
    code="410972", name="濮阳经济技术开发区", level=Level.COUNTY, path=Region.path_for("410972", None)
)
user = User(username="zhihuibu", full_name="指挥部", role=Role.COMMAND_OFFICE, region=county)
user.set_unusable_password()
user.save()
name = f"bench-{uuid.uuid4()}.csv"
export_dir().mkdir(parents=True, exist_ok=True)
line = ("张三,41097219900101" + "0000,138****0000,王助镇王助村第1网格,户主" + "," * 10 + "\\n").encode()
size = SIZE
with (export_dir() / name).open("wb") as f:
    f.write(line * (size // len(line)) + b"x" * (size % len(line)))
now = timezone.now()
export = PeopleExport.objects.create(
    requested_by=user, region=county, status=ExportStatus.DONE, rows_total=size // len(line),
    rows_written=size // len(line), file_name=name, created_at=now, finished_at=now,
)
client = Client()
client.force_login(user)
print("COOKIE", settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
print("URL", f"/people/exports/{export.uuid}/download")
"""


class Result(TypedDict):
    worker_class: str
    timeout_s: int
    status: int
    size_bytes: int
    content_length: int
    received_bytes: int
    seconds: float
    complete: bool


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environment(var_dir: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG")
    }
    # DEMO: production behaviour (DEBUG off, the real middleware) on plain HTTP at localhost.
    env.update({"DEMO": "1", "FANGKONG_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "fangkong.settings"})
    return env


def prepare(var_dir: Path, size: int) -> tuple[str, str, str]:
    """A migrated install holding one finished export of `size` bytes: (cookie name, session, URL path)."""
    env = _environment(var_dir)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    out = subprocess.run(  # noqa: S603
        [*manage, "shell", "-c", SETUP.replace("SIZE", str(size))],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    cookie = re.search(r"^COOKIE (\S+) (\S+)$", out, re.M)
    url = re.search(r"^URL (\S+)$", out, re.M)
    assert cookie and url, out  # noqa: S101 - the setup script prints both or failed loudly
    return cookie.group(1), cookie.group(2), url.group(1)


def start_server(var_dir: Path, port: int, timeout: int, worker_class: str | None) -> subprocess.Popen[bytes]:
    """`manage.py serve` as an operator runs it; `worker_class` None keeps serve's own default."""
    argv = [sys.executable, "manage.py", "serve", "--port", str(port), "--workers", "1", "--no-jobs"]
    argv += ["--timeout", str(timeout), "--skip-collectstatic"]
    if worker_class:
        argv += ["--worker-class", worker_class]
    proc = subprocess.Popen(  # noqa: S603
        argv,
        cwd=ROOT,
        env=_environment(var_dir),
        stdout=subprocess.DEVNULL,
        stderr=open(os.environ["BENCH_LOG"], "ab") if os.environ.get("BENCH_LOG") else subprocess.DEVNULL,  # noqa: SIM115
        start_new_session=True,  # so that stopping it stops gunicorn too
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.3)
    stop_server(proc)
    raise RuntimeError("the server did not start")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def slow_download(port: int, path: str, cookie: str, rate: float) -> tuple[int, int, int]:
    """(HTTP status, Content-Length, body bytes received), reading at most `rate` bytes a second.

    A small receive buffer keeps the kernel from soaking up the file: the server really waits on us."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        s.settimeout(120)
        s.connect(("127.0.0.1", port))
        s.sendall(
            f"GET {path} HTTP/1.1\r\nHost: localhost\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n".encode()
        )
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            chunk = s.recv(4096)
            if not chunk:
                break
            buffer += chunk
        head, _, body = buffer.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1]) if head else 0
        length = re.search(rb"(?i)^content-length:\s*(\d+)", head, re.M)
        received = len(body)
        started = time.monotonic()
        while True:
            try:
                chunk = s.recv(16 * 1024)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            received += len(chunk)
            # Sleep until the bytes so far are what `rate` allows.
            ahead = received / rate - (time.monotonic() - started)
            if ahead > 0:
                time.sleep(ahead)
    return status, int(length.group(1)) if length else -1, received


def measure(size: int, seconds: float, timeout: int, worker_class: str | None = None) -> Result:
    with tempfile.TemporaryDirectory(prefix="fk-slow-download-") as tmp:
        var_dir = Path(tmp)
        name, session, path = prepare(var_dir, size)
        port = _free_port()
        proc = start_server(var_dir, port, timeout, worker_class)
        try:
            started = time.monotonic()
            status, length, received = slow_download(port, path, f"{name}={session}", size / seconds)
            took = time.monotonic() - started
        finally:
            stop_server(proc)
    return {
        "worker_class": worker_class or "serve's default",
        "timeout_s": timeout,
        "status": status,
        "size_bytes": size,
        "content_length": length,
        "received_bytes": received,
        "seconds": round(took, 1),
        "complete": status == 200 and received == size == length,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=87.0)
    parser.add_argument("--seconds", type=float, default=75.0, help="how long the slow client takes")
    parser.add_argument("--timeout", type=int, default=30, help="gunicorn --timeout")
    parser.add_argument("--worker-class", choices=["gthread", "sync"], help="default: serve's (gthread)")
    args = parser.parse_args()
    result = measure(int(args.size_mb * 1024 * 1024), args.seconds, args.timeout, args.worker_class)
    print(json.dumps(result))
    return 0 if result["complete"] else 1


if __name__ == "__main__":
    sys.exit(main())
