"""Compile every .po catalogue to .mo with polib, so running Fangkong needs no gettext tools."""

from __future__ import annotations

from typing import Any

import polib
from django.core.management.base import BaseCommand

from fangkong.lib.translations import catalogues


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po → .mo)."

    def handle(self, *args: Any, **options: Any) -> None:
        for po_path in catalogues():
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
            self.stdout.write(f"compiled {po_path}")
