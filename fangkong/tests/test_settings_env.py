import pytest

from fangkong.lib.env import ConfigError, env_bool, env_int, env_list


def test_booleans_are_parsed_strictly(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "nope")
    with pytest.raises(ConfigError, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_integers_are_parsed_strictly(monkeypatch):
    monkeypatch.setenv("X_NUM", "12")
    assert env_int("X_NUM", 1) == 12
    monkeypatch.setenv("X_NUM", "twelve")
    with pytest.raises(ConfigError, match="X_NUM"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ConfigError):
        env_int("X_NUM", 1, minimum=1)


def test_lists_split_on_commas(monkeypatch):
    monkeypatch.setenv("X_LIST", "a.example, b.example,")
    assert env_list("X_LIST", []) == ["a.example", "b.example"]


def test_production_mode_requires_a_secret_key(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update({"DEBUG": "0", "FANGKONG_VAR_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "-c", "import fangkong.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_demo_mode_generates_the_secret_key_once(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DEBUG": "1", "FANGKONG_VAR_DIR": str(tmp_path)})
    code = "import fangkong.settings as s; print(s.SECRET_KEY)"
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert first.stdout == second.stdout and len(first.stdout.strip()) > 40
    assert (tmp_path / "secret_key").exists()


def _run_settings(tmp_path, code: str, **extra: str) -> str:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL")}
    env.update(
        {"DEBUG": "1", "FANGKONG_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "fangkong.settings"}
    )
    env.update(extra)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_the_embedded_database_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    code = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
        "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])\n"
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    assert _run_settings(tmp_path, code).split() == ["wal", "20000", "IMMEDIATE"]
    assert (tmp_path / "fangkong.sqlite3").exists()


def test_background_jobs_use_redis_when_redis_url_is_set(tmp_path):
    code = "import django; django.setup()\nfrom huey.contrib.djhuey import HUEY\nprint(type(HUEY).__name__)"
    assert _run_settings(tmp_path, code) == "SqliteHuey"
    assert _run_settings(tmp_path, code, REDIS_URL="redis://127.0.0.1:6379/0") == "RedisHuey"
