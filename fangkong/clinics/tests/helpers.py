from __future__ import annotations

from typing import Any

from django.utils import timezone

from conftest import make_user
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.clinics.actions import RecordInput, do_create_facility, do_register_record
from fangkong.clinics.models import Facility, SurveillanceRecord
from fangkong.regions.models import Region


def create_pharmacy(manager: User, village: Region, username: str) -> tuple[Facility, User]:
    staff = make_user(username, Role.FACILITY_STAFF, village)
    facility = do_create_facility(
        manager, name=f"{username}药店", kind="pharmacy", region=village, staff=[staff], now=timezone.now()
    )
    return facility, staff


def buy(staff: User, facility: Facility, document_number: str, **kw: Any) -> SurveillanceRecord:
    now = kw.pop("now", None) or timezone.now()
    data = RecordInput(
        kind=kw.pop("kind", "drug_purchase"),
        name=kw.pop("name", "张三"),
        document_number=document_number,
        medicine=kw.pop("medicine", "fever"),
        **kw,
    )
    return do_register_record(staff, facility, data, now=now)
