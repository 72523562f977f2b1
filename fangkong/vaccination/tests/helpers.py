"""Test helpers for vaccination: people of a given age, doses through the real actions."""

from __future__ import annotations

import datetime

from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.people.models import Person
from fangkong.people.tests.helpers import create_person, new_id
from fangkong.regions.models import Region
from fangkong.vaccination.actions import do_register_dose
from fangkong.vaccination.models import VaccinationRecord, VaccineProduct

INACTIVATED = "新冠病毒灭活疫苗（Vero细胞）"
BEIJING = "北京生物制品研究所有限责任公司"


def person_aged(region: Region, years: int, name: str = "张三", today: datetime.date | None = None) -> Person:
    today = today or timezone.localdate()
    birth = today.replace(year=today.year - years) - datetime.timedelta(days=10)
    return create_person(region, name, document_number=new_id(birth))


def inactivated() -> VaccineProduct:
    return VaccineProduct.objects.get(name=INACTIVATED, manufacturer=BEIJING)


def give_doses(
    person: Person,
    doses: int,
    *,
    actor: User | None = None,
    product: VaccineProduct | None = None,
    first_day: datetime.date = datetime.date(2021, 4, 1),
) -> list[VaccinationRecord]:
    product = product or inactivated()
    return [
        do_register_dose(
            actor,  # type: ignore[arg-type]
            person,
            product=product,
            dose_number=n,
            vaccinated_on=first_day + datetime.timedelta(days=28 * (n - 1)),
            site=None,
            lot=f"2021{n:04d}",
            now=timezone.now(),
        )
        for n in range(1, doses + 1)
    ]
