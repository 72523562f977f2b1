"""Retention of daily follow-ups (registered from `apps.py`): past the period, the symptoms and the note are
blanked; the follow-up, its day, temperature, at-home and alert flags stay, so follow-ups done and alerts count."""

from __future__ import annotations

import datetime

from django.db.models import Q

from fangkong.control.models import FollowUp
from fangkong.lib.reporting_day import SHANGHAI
from fangkong.retention.registry import anonymise


def purge_follow_ups(cutoff: datetime.datetime, dry_run: bool, chunk: int) -> int:
    """Follow-ups of Beijing days wholly before `cutoff`."""
    last_day = cutoff.astimezone(SHANGHAI).date()
    holding = ~Q(note="") | ~Q(symptoms=[])
    qs = FollowUp.objects.filter(holding, day__lt=last_day)
    return anonymise(qs, {"note": "", "symptoms": []}, dry_run=dry_run, chunk=chunk)
