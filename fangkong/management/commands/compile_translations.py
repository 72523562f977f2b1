"""Compile every .po catalogue to .mo with polib, so running Fangkong needs no gettext tools."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fangkong.lib.translations import compile_all


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po → .mo)."

    def handle(self, *args: Any, **options: Any) -> None:
        for po_path in compile_all():
            self.stdout.write(f"compiled {po_path}")
