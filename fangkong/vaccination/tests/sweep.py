"""Records in both townships for the jurisdiction sweep (fangkong/tests/test_jurisdiction_sweep.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.people.tests.helpers import create_person, new_id
from fangkong.vaccination.actions import (
    _write_errors,
    do_add_to_key_group,
    do_create_site,
    do_register_dose,
    do_set_reason,
    do_set_target,
)
from fangkong.vaccination.models import ImportStatus, KeyGroup, VaccinationImport, VaccineProduct


def populate(district: Any) -> None:
    now = timezone.now()
    product = VaccineProduct.objects.order_by("id").first()
    group = KeyGroup.objects.order_by("id").first()
    for cadre, township, grid in [
        ("wangzhu", district.township_a, district.grid_a),
        ("xinxi", district.township_b, district.grid_b),
    ]:
        user = User.objects.get(username=cadre)
        site = do_create_site(user, township, f"{township.name}接种点")
        vaccinated = create_person(grid, "接种人员", document_number=new_id(datetime.date(1980, 1, 1)))
        waiting = create_person(grid, "未接种人员", document_number=new_id(datetime.date(1981, 1, 1)))
        do_register_dose(
            user,
            vaccinated,
            product=product,
            dose_number=1,
            vaccinated_on=datetime.date(2021, 5, 1),
            site=site,
            lot="L1",
            now=now,
        )
        do_set_reason(user, waiting, reason="refused", scheduled_on=None, note="", now=now)
        if group is not None:
            do_add_to_key_group(user, group, waiting)
        do_set_target(user, township, band=None, group=None, rate=Decimal("90"))
        batch = VaccinationImport(
            region=township,
            file_name="e.csv",
            file_hash=township.code,
            status=ImportStatus.FAILED,
            error_count=1,
            created_by=user,
            created_at=now,
        )
        batch.error_file = _write_errors(batch.uuid, ["身份证号"], [(2, "错误", ["4109**********1234"])])
        batch.save()
