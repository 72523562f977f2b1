"""Production settings, each read in a fresh process as start-up reads them: a weak key or a bad clock
time stops start-up; the documented production environment passes `manage.py check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "q7Rz-3vKp9XwLm2NcB8tYhJ4sDfG6aE1uIoP0lZxCv5bNm-Qw_ErTyUiOp"
# The production environment of docs/operations.md (the values an operator sets).
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "fangkong.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://fangkong.example.gov.cn",
    "TRUSTED_PROXY_COUNT": "1",
}


def _run(tmp_path: Path, args: list[str], **env_vars: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "SECRET_KEY",
            "DEBUG",
            "DEMO",
            "DATABASE_URL",
            "REDIS_URL",
            "BRIEFING_TIME",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    env.update({"FANGKONG_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "fangkong.settings"})
    env.update(env_vars)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_the_documented_production_settings_pass_check_deploy(tmp_path):
    result = _run(tmp_path, ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "key",
    ["short-key", "django-insecure-" + "x" * 50, "a" * 60, "secret" + STRONG_KEY],
)
def test_a_short_or_weak_secret_key_stops_production_start_up(tmp_path, key):
    result = _run(tmp_path, ["-c", "import fangkong.settings"], **{**PRODUCTION, "SECRET_KEY": key})

    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


@pytest.mark.parametrize("value", ["25:00", "24:00", "5pm", "17:60", "17:00:30", "-1:00", "1700"])
def test_a_bad_briefing_time_stops_start_up(tmp_path, value):
    result = _run(tmp_path, ["-c", "import fangkong.settings"], DEBUG="1", BRIEFING_TIME=value)

    assert result.returncode != 0
    assert "BRIEFING_TIME must be a time HH:MM" in result.stderr


def test_a_good_briefing_time_is_normalised(tmp_path):
    code = "import fangkong.settings as s; print(s.BRIEFING_TIME)"
    result = _run(tmp_path, ["-c", code], DEBUG="1", BRIEFING_TIME="7:05")

    assert result.stdout.strip() == "07:05"


def test_production_sends_hsts_csp_and_secure_cookies_and_hides_the_api_docs(tmp_path):
    # As `serve` does before starting gunicorn: hashed, compressed files for the manifest storage.
    collected = _run(tmp_path, ["manage.py", "collectstatic", "--noinput", "-v0"], **PRODUCTION)
    assert collected.returncode == 0, collected.stderr
    assert list((tmp_path / "static").glob("vendor/bootstrap/bootstrap.min.*.css.gz"))
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "r = c.get('/accounts/login/', secure=True, HTTP_HOST='fangkong.example.gov.cn')\n"
        "print(r.status_code, 'max-age=31536000' in r.headers.get('Strict-Transport-Security', ''),"
        " \"script-src 'self'\" in r.headers['Content-Security-Policy'])\n"
        "r = c.get('/accounts/login/', HTTP_HOST='fangkong.example.gov.cn')\n"
        "print(r.status_code, r.headers.get('Location'))\n"
        "r = c.get('/api/v1/docs', secure=True, HTTP_HOST='fangkong.example.gov.cn')\n"
        "print(r.status_code, r.headers.get('Location', '').split('?')[0])\n"
        "from django.conf import settings as s\n"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_AGE)\n"
    )
    result = _run(tmp_path, ["-c", code], **PRODUCTION)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "200 True True"
    assert lines[1] == "301 https://fangkong.example.gov.cn/accounts/login/"
    assert lines[2] == "302 /accounts/login/"
    assert lines[3] == "True True 36000"


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="statement timeouts: PostgreSQL"
)
def test_web_requests_get_a_statement_timeout_and_consumers_do_not(tmp_path):
    code = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "c = connection.cursor(); c.execute('SHOW statement_timeout'); print(c.fetchone()[0])\n"
        "print(connection.settings_dict['OPTIONS']['connect_timeout'])\n"
    )
    database = {"DEBUG": "1", "DATABASE_URL": os.environ["DATABASE_URL"]}

    web = _run(tmp_path, ["-c", "import fangkong.wsgi\n" + code], **database)
    consumer = _run(tmp_path, ["-c", code], **database)

    assert web.stdout.split() == ["30s", "5"], web.stderr
    assert consumer.stdout.split() == ["0", "5"], consumer.stderr
