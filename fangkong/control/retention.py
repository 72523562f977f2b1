"""Retention (registered from `apps.py`).

- Daily follow-ups: past the period, the symptoms and the note are blanked; the follow-up, its day, temperature,
  at-home and alert flags stay, so follow-ups done and alerts count.
- Closed orders (released, to hospital, cancelled): past the period after closing, the link to the person, the
  source reference and the notes are blanked; the order (unit, reason, protocol, days, status), its test days and
  the per-unit day counts (`ControlDay`) stay, so every figure of a past day stays. An active order is never due."""

from __future__ import annotations

import datetime

from django.db.models import Q

from fangkong.control.models import ControlOrder, FollowUp, OrderStatus
from fangkong.lib.reporting_day import SHANGHAI
from fangkong.retention.registry import anonymise


def purge_follow_ups(cutoff: datetime.datetime, dry_run: bool, chunk: int) -> int:
    """Follow-ups of Beijing days wholly before `cutoff`."""
    last_day = cutoff.astimezone(SHANGHAI).date()
    holding = ~Q(note="") | ~Q(symptoms=[])
    qs = FollowUp.objects.filter(holding, day__lt=last_day)
    return anonymise(qs, {"note": "", "symptoms": []}, dry_run=dry_run, chunk=chunk)


def purge_orders(cutoff: datetime.datetime, dry_run: bool, chunk: int) -> int:
    """Orders closed before `cutoff` that still name a person."""
    due = ControlOrder.objects.filter(person__isnull=False, closed_at__lt=cutoff).exclude(
        status=OrderStatus.ACTIVE
    )
    blank = {"person": None, "source_ref": "", "close_reason": "", "held_note": ""}
    return anonymise(due, blank, dry_run=dry_run, chunk=chunk)
