"""Retention of push lists (registered from `apps.py`), counted from the batch's import: an item's pushed identity
(name, numbers as given and as checked, address, notes) is blanked — the item, its unit, outcome and dates stay for
the figures; error rows (nothing but the raw cells and the reason) are deleted."""

from __future__ import annotations

import datetime

from django.db.models import Q

from fangkong.pushlists.models import PushErrorRow, PushItem
from fangkong.retention.registry import anonymise, delete

PERSONAL = {
    "name": "",
    "id_number": "",
    "phone": "",
    "document_number": "",
    "phone_e164": "",
    "address": "",
    "flag_note": "",
    "outcome_note": "",
}


def purge_items(cutoff: datetime.datetime, dry_run: bool, chunk: int) -> int:
    holding = Q()
    for field in PERSONAL:
        holding |= ~Q(**{field: ""})
    qs = PushItem.objects.filter(holding, batch__created_at__lt=cutoff)
    return anonymise(qs, PERSONAL, dry_run=dry_run, chunk=chunk)


def purge_error_rows(cutoff: datetime.datetime, dry_run: bool, chunk: int) -> int:
    return delete(PushErrorRow.objects.filter(batch__created_at__lt=cutoff), dry_run=dry_run, chunk=chunk)
