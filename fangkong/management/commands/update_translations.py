"""Merge newly marked strings into the zh_Hans catalogues, for translators to fill in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fangkong.lib.translations import PACKAGE, catalogue_roots, update


class Command(BaseCommand):
    help = "Update the zh_Hans catalogues (all, or the named apps; 'fangkong' is the project's own)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("apps", nargs="*")

    def handle(self, *args: Any, apps: list[str], **options: Any) -> None:
        for root in catalogue_roots():
            name = "fangkong" if root == PACKAGE else root.name
            if not apps or name in apps:
                self.stdout.write(f"updated {update(root)}")
