"""Retention of crossings (registered from `apps.py`): past the period, a traveller's name, document number, phone
and trip cities and the crossing's plate are blanked; the crossing, its travellers' codes, temperatures and
dispositions, and the day's figures (`CrossingDay`) stay."""

from __future__ import annotations

import datetime

from django.db.models import Q

from fangkong.checkpoints.models import Crossing, Traveller
from fangkong.retention.registry import anonymise

PERSONAL = {"name": "", "document_number": "", "phone": "", "trip_cities": ""}


def purge_crossings(cutoff: datetime.datetime, dry_run: bool, chunk: int) -> int:
    """Travellers of crossings registered before `cutoff` that still hold personal data."""
    holding = ~Q(name="") | ~Q(document_number="") | ~Q(phone="") | ~Q(trip_cities="")
    count = anonymise(
        Traveller.objects.filter(holding, crossing__registered_at__lt=cutoff),
        PERSONAL,
        dry_run=dry_run,
        chunk=chunk,
    )
    anonymise(
        Crossing.objects.filter(registered_at__lt=cutoff).exclude(plate=""),
        {"plate": ""},
        dry_run=dry_run,
        chunk=chunk,
    )
    return count
