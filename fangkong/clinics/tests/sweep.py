"""Records in both townships for the jurisdiction sweep."""

from __future__ import annotations

from typing import Any

from fangkong.accounts.models import User
from fangkong.clinics.tests.helpers import buy, create_pharmacy
from fangkong.people.tests.helpers import new_id


def populate(district: Any) -> None:
    for n, (cadre, village) in enumerate([("wangzhu", district.village_a), ("xinxi", district.village_b)]):
        facility, staff = create_pharmacy(User.objects.get(username=cadre), village, f"sweep-yaodian-{n}")
        buy(staff, facility, new_id(), name=f"购药{n}")
