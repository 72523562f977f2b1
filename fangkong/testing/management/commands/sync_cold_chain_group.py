"""Bring the cold-chain key group in line with the cold-chain enterprises' workers (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from fangkong.testing.actions import do_sync_cold_chain_group


class Command(BaseCommand):
    help = "Put every cold-chain worker in the cold-chain key group and take out those who left (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        joined, left = do_sync_cold_chain_group(timezone.now())
        self.stdout.write(f"cold-chain key group: {joined} joined, {left} left")
