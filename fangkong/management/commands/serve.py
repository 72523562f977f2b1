"""Run the web server (gunicorn) and the job consumers together in the foreground, and keep them running.

A child that dies is started again after a short pause (1 s, doubling up to 30 s); the web server is never
taken down because a consumer died. If one child dies more than `--max-restarts` times within
`--restart-window` seconds, `serve` stops everything and exits with status 1, so a supervisor configured to
restart on failure (systemd `Restart=on-failure`) takes over. SIGTERM or Ctrl-C stop it with status 0.

gunicorn runs gthread workers: their `--timeout` is a heartbeat from the worker's main thread, so a large
export downloaded over a slow link is not cut off (with sync workers a request had to end within it).

Exactly one consumer enqueues the periodic jobs (and clears huey's task locks as it starts, since none of
its own can be held then); `--extra-consumers N` adds consumers started with `--no-periodic`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    deaths: deque[float] = field(default_factory=deque)
    restart_at: float = 0.0
    delay: float = 1.0
    # How each program shuts down gracefully: gunicorn on SIGTERM, the huey consumer on SIGINT (SIGTERM
    # would stop it at once, killing a running import).
    stop_signal: int = signal.SIGTERM

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv)  # noqa: S603 - our own fixed argv

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class GaveUp(Exception):
    pass


def web_argv(
    bind: str, port: int, workers: int, timeout: int, worker_class: str = "gthread", threads: int = 4
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "fangkong.wsgi",
        "--bind",
        f"{bind}:{port}",
        "--workers",
        str(workers),
        # gthread: a sync worker must finish each request within --timeout, so a large export downloaded
        # over a slow link (87 MB for a million people) was cut off; a gthread worker's main thread keeps
        # beating while a thread streams the file, and --timeout then catches only a worker that hangs.
        "--worker-class",
        worker_class,
        # With more than one thread gunicorn turns a sync worker into a gthread one.
        "--threads",
        str(threads if worker_class == "gthread" else 1),
        # A worker silent for longer than this is killed and logged, instead of hanging forever.
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "30",
        "--access-logfile",
        "-",
    ]


def consumer_argv(*, periodic: bool) -> list[str]:
    argv = [sys.executable, "-m", "django", "run_huey", "--workers", "1"]
    # The periodic consumer starts first and alone: locks left by a killed run of a periodic job would
    # otherwise keep that job from running until they expire.
    return [*argv, "--flush-locks"] if periodic else [*argv, "--no-periodic"]


class Command(BaseCommand):
    help = "Serve Fangkong with gunicorn and the huey consumer(s), restarting a child that dies."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument("--timeout", type=int, default=60, help="gunicorn worker timeout (seconds)")
        parser.add_argument(
            "--worker-class", default="gthread", choices=["gthread", "sync"], help="gunicorn worker class"
        )
        parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
        parser.add_argument("--extra-consumers", type=int, default=0, help="consumers without periodic jobs")
        parser.add_argument("--no-web", action="store_true", help="run the consumer(s) only")
        parser.add_argument("--no-jobs", action="store_true", help="run the web server only")
        parser.add_argument("--max-restarts", type=int, default=5)
        parser.add_argument("--restart-window", type=float, default=300.0)
        parser.add_argument("--skip-collectstatic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
        if not options["skip_collectstatic"] and not options["no_web"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        children: list[Child] = []
        if not options["no_web"]:
            argv = web_argv(
                options["bind"],
                options["port"],
                options["workers"],
                options["timeout"],
                options["worker_class"],
                options["threads"],
            )
            children.append(Child("web", argv))
        if not options["no_jobs"]:
            children.append(Child("consumer", consumer_argv(periodic=True), stop_signal=signal.SIGINT))
            for number in range(options["extra_consumers"]):
                argv = consumer_argv(periodic=False)
                children.append(Child(f"consumer-{number + 2}", argv, stop_signal=signal.SIGINT))
        if not children:
            raise CommandError("Nothing to run: --no-web and --no-jobs together.")

        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        for child in children:
            child.start()
            self._say(f"{child.name} started (pid {child.process.pid if child.process else '?'})")
        if not options["no_web"]:
            self._say(
                f"Fangkong is running on http://{options['bind']}:{options['port']}/ — Ctrl-C stops it."
            )
        failure = ""
        try:
            while not stopping:
                self._watch(children, options["max_restarts"], options["restart_window"])
                time.sleep(0.2)
        except GaveUp as exc:
            failure = str(exc)
        finally:
            self._stop(children)
        if failure:
            raise CommandError(failure)
        self._say("stopped")

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def _watch(self, children: list[Child], max_restarts: int, window: float) -> None:
        now = time.monotonic()
        for child in children:
            if child.process is None:
                if now >= child.restart_at:
                    child.start()
                    self._say(f"{child.name} restarted (pid {child.process.pid if child.process else '?'})")
                continue
            status = child.process.poll()
            if status is None:
                if child.deaths and now - child.deaths[-1] > window:
                    child.delay = 1.0  # it has run well for a while: the next restart is quick again
                continue
            child.deaths.append(now)
            while child.deaths and now - child.deaths[0] > window:
                child.deaths.popleft()
            if len(child.deaths) > max_restarts:
                raise GaveUp(
                    f"{child.name} exited {len(child.deaths)} times within {window:.0f}s "
                    f"(last status {status}); giving up"
                )
            self._say(f"{child.name} exited with status {status}; restarting in {child.delay:.0f}s")
            child.process = None
            child.restart_at = now + child.delay
            child.delay = min(child.delay * 2, 30.0)

    def _stop(self, children: list[Child]) -> None:
        running = [c for c in children if c.running]
        for child in running:
            assert child.process is not None  # noqa: S101 - `running` checked it
            child.process.send_signal(child.stop_signal)
        deadline = time.monotonic() + 20
        for child in running:
            assert child.process is not None  # noqa: S101
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
