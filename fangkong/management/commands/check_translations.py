"""Fail when a user-visible string lacks a Chinese translation.

Messages are extracted afresh (Django's makemessages, into a scratch copy) and compared with the
committed zh_Hans catalogues: a missing, empty or fuzzy entry fails the check.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fangkong.lib.translations import LOCALE, catalogue_roots


class Command(BaseCommand):
    help = "Check that the zh_Hans catalogues translate every extracted message."

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        for root in catalogue_roots():
            committed = root / "locale" / LOCALE / "LC_MESSAGES" / "django.po"
            extracted = self._extract(root)
            known = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(committed))} if committed.exists() else {}
            for entry in extracted:
                mine = known.get((entry.msgctxt, entry.msgid))
                rel = committed.relative_to(settings.BASE_DIR)
                if mine is None:
                    problems.append(f"{rel}: missing {entry.msgid!r}")
                elif "fuzzy" in mine.flags:
                    problems.append(f"{rel}: fuzzy {entry.msgid!r}")
                elif not mine.msgstr and not any(mine.msgstr_plural.values()):
                    problems.append(f"{rel}: untranslated {entry.msgid!r}")
        if problems:
            for p in problems:
                self.stderr.write(p)
            raise CommandError(f"{len(problems)} translation problem(s)")
        self.stdout.write("translations complete")

    def _extract(self, root: Path) -> polib.POFile:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / root.name
            shutil.copytree(root, copy, ignore=shutil.ignore_patterns("locale", "static", "__pycache__", "tests",
                                                                     "migrations"))
            (copy / "locale").mkdir()
            # Child apps have catalogues of their own; the project root extracts only its own files.
            for child in catalogue_roots():
                if child != root and child.parent == root:
                    shutil.rmtree(copy / child.name, ignore_errors=True)
            subprocess.run(  # noqa: S603 - fixed argv
                [sys.executable, "-m", "django", "makemessages", "-l", LOCALE, "--no-location", "--no-wrap",
                 "-e", "html,txt,py", "-v", "0"],
                cwd=copy, check=True,
                env={"DJANGO_SETTINGS_MODULE": "fangkong.settings", "PATH": "/usr/bin:/bin",
                     "DEBUG": "1", "FANGKONG_VAR_DIR": str(settings.VAR_DIR),
                     "PYTHONPATH": str(settings.BASE_DIR)},
            )
            po = copy / "locale" / LOCALE / "LC_MESSAGES" / "django.po"
            return polib.pofile(str(po)) if po.exists() else polib.POFile()
