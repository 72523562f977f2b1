"""`make test` on a machine without Chromium stops at once with the exact command to run (or, as root,
installs it as `.ci/run` does): `.ci/system-deps`, the step both share."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _path_without(tmp_path: Path, missing: str) -> str:
    """A PATH holding every program of /usr/bin and /bin except `missing`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for folder in (Path("/usr/bin"), Path("/bin")):
        for program in folder.iterdir():
            target = bin_dir / program.name
            if program.name != missing and not target.exists():
                target.symlink_to(program)
    return f"{bin_dir}:/usr/sbin:/sbin"


def test_without_chromium_it_stops_with_the_command_to_run(tmp_path):
    env = {**os.environ, "PATH": _path_without(tmp_path, "chromium"), "FANGKONG_NO_APT": "1"}

    result = subprocess.run(
        ["bash", str(ROOT / ".ci" / "system-deps")], env=env, capture_output=True, text=True, check=False
    )

    assert result.returncode == 1
    assert "apt-get install -y --no-install-recommends chromium" in result.stderr


def test_with_everything_installed_it_does_nothing():
    result = subprocess.run(
        ["bash", str(ROOT / ".ci" / "system-deps")], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0 and result.stdout == result.stderr == ""


def test_make_test_runs_it_before_anything_else():
    makefile = (ROOT / "Makefile").read_text()

    assert "test: system-deps " in makefile
    assert ".ci/system-deps" in (ROOT / ".ci" / "run").read_text()
