"""With Redis unreachable: the public self-report still saves every report (its rate limit degrades), and
a job consumer logs one line per retry instead of a traceback a second."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from fangkong.screening.models import ReturneeReport
from fangkong.screening.tests.helpers import form_data

ROOT = Path(__file__).resolve().parents[2]
NOBODY_LISTENS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "fangkong.cache.ResilientRedisCache",
            "LOCATION": NOBODY_LISTENS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield
    caches["default"].close()


def test_the_public_self_report_works_without_redis(district, redis_down):
    url = reverse("screening:self_report", args=[district.village_a.code])

    response = Client().post(url, form_data())

    assert response.status_code in (200, 302)
    assert ReturneeReport.objects.count() == 1


def test_a_consumer_without_its_broker_logs_one_line_per_retry(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(
        {
            "DEBUG": "1",
            "FANGKONG_VAR_DIR": str(tmp_path),
            "REDIS_URL": NOBODY_LISTENS,
            "DJANGO_SETTINGS_MODULE": "fangkong.settings",
        }
    )
    consumer = subprocess.Popen(
        [sys.executable, "-m", "django", "run_huey", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    time.sleep(8)
    consumer.terminate()
    log, _ = consumer.communicate(timeout=30)

    assert "Traceback" not in log
    retries = [line for line in log.splitlines() if "job broker unreachable" in line]
    # Without the filter: a traceback a second from the scheduler and each worker (~25 in 8 s).
    assert 1 <= len(retries) <= 10
