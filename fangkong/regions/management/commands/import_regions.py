from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fangkong.regions.actions import RegionImportError, do_import_regions


class Command(BaseCommand):
    help = "Load regions from a CSV file with the columns code,name,parent_code,level."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        try:
            result = do_import_regions(None, text)
        except RegionImportError as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(exc.errors)} bad row(s); nothing was loaded") from exc
        self.stdout.write(f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}")
