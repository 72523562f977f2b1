"""`manage.py serve` keeps the web server up when the consumer dies, restarts the consumer, and exits
non-zero when it gives up so that a supervisor restarts it."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[str], int]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")}
    env.update(
        {"DEBUG": "1", "FANGKONG_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "fangkong.settings"}
    )
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "serve",
            "--port",
            str(port),
            "--workers",
            "1",
            "--skip-collectstatic",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    return proc, port


def _wait_for(proc: subprocess.Popen[str], pattern: str, timeout: float = 60) -> re.Match[str]:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if found := re.search(pattern, line):
            return found
    raise AssertionError(f"serve never printed {pattern!r}")


def _answers(port: int) -> bool:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                s.sendall(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n")
                return s.recv(64).startswith(b"HTTP/1")
        except OSError:
            time.sleep(0.3)
    return False


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_a_killed_consumer_is_restarted_and_the_web_server_stays_up(tmp_path):
    proc, port = _serve(tmp_path)
    try:
        web = int(_wait_for(proc, r"web started \(pid (\d+)\)").group(1))
        consumer = int(_wait_for(proc, r"consumer started \(pid (\d+)\)").group(1))
        assert _answers(port)

        os.kill(consumer, signal.SIGKILL)

        _wait_for(proc, r"consumer exited with status -9; restarting")
        restarted = int(_wait_for(proc, r"consumer restarted \(pid (\d+)\)").group(1))
        assert restarted != consumer
        assert proc.poll() is None
        os.kill(web, 0)  # the same web server, never restarted
        assert _answers(port)
    finally:
        _stop(proc)
    assert proc.returncode == 0


def test_serve_exits_non_zero_when_it_gives_up(tmp_path):
    proc, _port = _serve(tmp_path, "--max-restarts", "0")
    try:
        _wait_for(proc, r"web started")
        consumer = int(_wait_for(proc, r"consumer started \(pid (\d+)\)").group(1))

        os.kill(consumer, signal.SIGKILL)

        proc.wait(timeout=60)
    finally:
        _stop(proc)
    assert proc.returncode == 1
