"""Retention of returnee reports (registered from `apps.py`): past the period, what the reporter typed about the
person (name, phone, address, contact, transport number, travel history, symptoms, reason) is blanked. The report,
its channel, origin and risk, status and dates stay, so 双报告 and every figure still count it."""

from __future__ import annotations

import datetime

from django.db.models import Q

from fangkong.retention.registry import anonymise
from fangkong.screening.models import ReturneeReport

PERSONAL = {
    "reported_name": "",
    "reported_phone": "",
    "address": "",
    "contact_name": "",
    "contact_phone": "",
    "transport_number": "",
    "travel_history": "",
    "symptoms": "",
    "reason": "",
}


def purge_returnee_reports(cutoff: datetime.datetime, dry_run: bool, chunk: int) -> int:
    holding = Q()
    for field in PERSONAL:
        holding |= ~Q(**{field: ""})
    qs = ReturneeReport.objects.filter(holding, created_at__lt=cutoff)
    return anonymise(qs, PERSONAL, dry_run=dry_run, chunk=chunk)
