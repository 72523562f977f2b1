"""Translation catalogues: one per app (fangkong/<app>/locale) plus the project's own (fangkong/locale).

`extract()` runs Django's makemessages on a scratch copy of one catalogue root, so checking never
touches the committed files; `update()` merges fresh messages into the committed catalogue.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

LOCALE = "zh_Hans"
PACKAGE = Path(__file__).resolve().parent.parent


def catalogue_roots() -> list[Path]:
    """The project package and every app package below it."""
    return [PACKAGE, *(c for c in sorted(PACKAGE.iterdir()) if (c / "apps.py").exists())]


def po_path(root: Path) -> Path:
    return root / "locale" / LOCALE / "LC_MESSAGES" / "django.po"


def catalogues() -> list[Path]:
    return [p for root in catalogue_roots() if (p := po_path(root)).exists()]


def extract(root: Path) -> polib.POFile:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / root.name
        skip = ["locale", "static", "__pycache__", "tests", "migrations"]
        if root == PACKAGE:
            # Apps have catalogues of their own; the project root keeps only its own files.
            skip += [c.name for c in catalogue_roots() if c != PACKAGE]
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(*skip))
        (copy / "locale").mkdir()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "fangkong.settings",
            "DEBUG": "1",
            "PYTHONPATH": str(PACKAGE.parent),
        }
        subprocess.run(  # noqa: S603 - fixed argv
            [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "-l",
                LOCALE,
                "--no-location",
                "--no-wrap",
                "-e",
                "html,txt,py",
                "-v",
                "0",
            ],
            cwd=copy,
            check=True,
            env=env,
        )
        po = po_path(copy)
        return polib.pofile(str(po)) if po.exists() else polib.POFile()


def problems(root: Path) -> list[str]:
    """Messages of `root` that its committed catalogue lacks, leaves empty or marks fuzzy."""
    committed = po_path(root)
    header: list[str] = []
    if committed.exists():
        catalogue = polib.pofile(str(committed))
        if catalogue.metadata_is_fuzzy or catalogue.metadata.get("Plural-Forms") != "nplurals=1; plural=0;":
            header.append(
                f"{committed.relative_to(PACKAGE.parent)}: the header is fuzzy or lacks the Chinese plural rule"
            )
    known = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(committed))} if committed.exists() else {}
    found = header
    for entry in extract(root):
        mine = known.get((entry.msgctxt, entry.msgid))
        rel = committed.relative_to(PACKAGE.parent)
        if mine is None:
            found.append(f"{rel}: missing {entry.msgid!r}")
        elif "fuzzy" in mine.flags:
            found.append(f"{rel}: fuzzy {entry.msgid!r}")
        elif mine.msgid_plural and list(mine.msgstr_plural) != [0]:
            # Chinese has one plural form; an extra empty slot makes the compiler skip the entry.
            found.append(f"{rel}: plural entry needs exactly one form {entry.msgid!r}")
        elif not mine.msgstr and not any(mine.msgstr_plural.values()):
            found.append(f"{rel}: untranslated {entry.msgid!r}")
    return found


def update(root: Path) -> Path:
    """Merge freshly extracted messages into the committed catalogue (new ones arrive untranslated)."""
    fresh = extract(root)
    path = po_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        po = polib.pofile(str(path))
        po.merge(fresh)
    else:
        po = fresh
    # A fuzzy header is dropped when compiling, and with it the plural rule: keep it clean. Chinese has one
    # plural form; makemessages' template has two slots, and an empty one makes the compiler skip the entry.
    po.metadata_is_fuzzy = False
    for entry in po:
        if entry.msgid_plural and list(entry.msgstr_plural) != [0]:
            entry.msgstr_plural = {0: entry.msgstr_plural.get(0, "")}
    for entry in po.obsolete_entries():
        po.remove(entry)
    po.metadata.update(
        {
            "Language": LOCALE,
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    )
    po.save(str(path))
    return path


def compile_all() -> list[Path]:
    """Write each catalogue's .mo beside its .po (polib: no gettext tools needed)."""
    compiled = []
    for po in catalogues():
        polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))
        compiled.append(po)
    return compiled


def compile_stale() -> list[Path]:
    """Compile the catalogues whose .mo is missing or older than the .po; called as Django starts, so any
    install (a git checkout, a wheel, `make demo`) serves Chinese without a manual step. Each .mo is
    written beside and moved into place, so a process starting at the same moment never reads half a file.
    """
    compiled = []
    for po in catalogues():
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        tmp = mo.with_suffix(f".{os.getpid()}.tmp")
        polib.pofile(str(po)).save_as_mofile(str(tmp))
        os.replace(tmp, mo)
        compiled.append(po)
    return compiled
