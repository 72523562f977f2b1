"""Helpers for screening tests: create records through the real actions."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.regions.models import Region
from fangkong.screening.actions import AreaRow, ReturneeInput, do_publish_risk_areas, do_register_returnee
from fangkong.screening.models import Channel, ReturneeReport, RiskLevel

# Valid resident ID numbers (GB 11643 check digit).
ID_1 = "11010519491231002X"


def valid_id(seed: int) -> str:
    """A valid 18-digit ID number built from `seed` (check digit computed)."""
    body = f"41092819900101{seed % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def publish(name: str, level: RiskLevel, start: datetime.date, actor: User | None = None) -> None:
    do_publish_risk_areas(actor, [AreaRow(name=name, level=level)], effective_from=start)


def returnee_input(**overrides: Any) -> ReturneeInput:
    values: dict[str, Any] = {
        "name": "张三",
        "document_number": ID_1,
        "phone": "13900000000",
        "origin_province": "江苏省",
        "origin_city": "南京市",
        "origin_county": "江宁区",
        "origin_township": "禄口街道",
        "status": "returned",
        "return_date": timezone.localdate(),
        "transport_mode": "train",
        "transport_number": "G1234",
    }
    values.update(overrides)
    return ReturneeInput(**values)


def register(
    region: Region, channel: str = Channel.GRID, actor: User | None = None, **overrides: Any
) -> ReturneeReport:
    return do_register_returnee(
        actor, channel=channel, region=region, data=returnee_input(**overrides), now=timezone.now()
    )


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "张三",
        "document_type": "resident_id",
        "document_number": ID_1,
        "phone": "13900000000",
        "origin_province": "江苏省",
        "origin_city": "南京市",
        "origin_county": "江宁区",
        "origin_township": "禄口街道",
        "status": "returned",
        "return_date": timezone.localdate().isoformat(),
        "transport_mode": "train",
        "transport_number": "G1234",
    }
    data.update(overrides)
    return data
