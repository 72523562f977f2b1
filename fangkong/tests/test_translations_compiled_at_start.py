"""An install that only runs Django (no `make demo`, no compile_translations) still serves Chinese."""

from __future__ import annotations

import os
import subprocess
import sys

from fangkong.lib.translations import catalogues


def test_missing_catalogues_are_compiled_when_django_starts(tmp_path):
    po = next(p for p in catalogues() if "pushlists" in str(p))
    mo = po.with_suffix(".mo")
    saved = mo.read_bytes() if mo.exists() else None
    mo.unlink(missing_ok=True)
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")}
        env.update(
            {"DEBUG": "1", "FANGKONG_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "fangkong.settings"}
        )
        code = (
            "import django; django.setup()\n"
            "from django.utils import translation\n"
            "translation.activate('zh-hans')\n"
            "from fangkong.pushlists.models import BatchStatus\n"
            "print(BatchStatus.FAILED.label)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "失败"
        assert mo.exists()
    finally:
        if saved is not None and not mo.exists():
            mo.write_bytes(saved)
