"""Retention of samples (registered from `apps.py`): past the period, a sample's link to the person (its only
personal field) and its re-sampling reason are blanked, and so is a recall's person; the sample, its tube, its
result and the round's tested counters (`RoundTested`) stay, so sample counts, positives and coverage stay.

A sample is due once its tube has a result (an unresulted tube may still need its people) and its round, if any,
ended before the nightly recount's window (`actions.RECOUNT_DAYS`): the recount rebuilds counters from the people
of the samples, and must never see a round whose samples lost them."""

from __future__ import annotations

import datetime

from django.db.models import Q

from fangkong.lib.reporting_day import SHANGHAI
from fangkong.retention.registry import anonymise
from fangkong.testing.actions import RECOUNT_DAYS
from fangkong.testing.models import Recall, TubeMember


def purge_samples(cutoff: datetime.datetime, dry_run: bool, chunk: int) -> int:
    """Samples taken before `cutoff` (and the recalls of pools made before it) that still name a person."""
    last_round_day = cutoff.astimezone(SHANGHAI).date() - datetime.timedelta(days=RECOUNT_DAYS + 1)
    due = TubeMember.objects.filter(
        Q(round__isnull=True) | Q(round__ends_on__lt=last_round_day),
        person__isnull=False,
        sampled_at__lt=cutoff,
        tube__resulted_at__isnull=False,
    )
    count = anonymise(due, {"person": None, "resample_reason": ""}, dry_run=dry_run, chunk=chunk)
    anonymise(
        Recall.objects.filter(person__isnull=False, created_at__lt=cutoff),
        {"person": None},
        dry_run=dry_run,
        chunk=chunk,
    )
    return count
