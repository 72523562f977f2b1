"""Fail when a user-visible string lacks a Chinese translation (missing, empty or fuzzy)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fangkong.lib.translations import catalogue_roots, problems


class Command(BaseCommand):
    help = "Check that the zh_Hans catalogues translate every extracted message."

    def handle(self, *args: Any, **options: Any) -> None:
        found = [p for root in catalogue_roots() for p in problems(root)]
        for problem in found:
            self.stderr.write(problem)
        if found:
            raise CommandError(f"{len(found)} translation problem(s)")
        self.stdout.write("translations complete")
