"""A task lock left by a consumer killed mid-task (the daily briefing's) no longer stops that job for good:
the periodic consumer that `serve` starts clears huey's locks as it starts; extra consumers, started while
others may hold locks, do not."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from fangkong.management.commands.serve import consumer_argv

ROOT = Path(__file__).resolve().parents[2]
LOCKED = (
    "import django; django.setup()\n"
    "from huey.contrib.djhuey import HUEY\n"
    "lock = HUEY.lock_task('briefing-daily')\n"
    "{action}\n"
    "print(lock.is_locked())\n"
)


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")}
    env.update(
        {"DEBUG": "1", "FANGKONG_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "fangkong.settings"}
    )
    return env


def _python(tmp_path: Path, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def _run_consumer(tmp_path: Path, argv: list[str]) -> None:
    consumer = subprocess.Popen(
        argv, cwd=ROOT, env=_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(4)
    consumer.terminate()
    consumer.wait(timeout=30)


def test_the_periodic_consumer_clears_a_lock_left_by_a_killed_task(tmp_path):
    # What a consumer killed inside the locked briefing task leaves behind: the lock, set and never released.
    assert _python(tmp_path, LOCKED.format(action="lock.acquire()")) == "True"

    _run_consumer(tmp_path, consumer_argv(periodic=True))

    assert _python(tmp_path, LOCKED.format(action="")) == "False"


def test_an_extra_consumer_leaves_locks_alone(tmp_path):
    assert _python(tmp_path, LOCKED.format(action="lock.acquire()")) == "True"

    _run_consumer(tmp_path, consumer_argv(periodic=False))

    assert _python(tmp_path, LOCKED.format(action="")) == "True"
    assert "--no-periodic" in consumer_argv(periodic=False)
