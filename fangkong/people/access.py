"""Reading people and households: always through these helpers, scoped to the user's jurisdiction."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet

from fangkong.accounts.access import AnyUser, get_scoped_or_404, scoped
from fangkong.accounts.permissions import Perm
from fangkong.people.models import Household, Person


def people_for(user: AnyUser, perm: Perm = Perm.PEOPLE_VIEW) -> QuerySet[Person]:
    return scoped(Person.objects.active().select_related("region", "region__parent", "household"), user, perm)


def access_person(user: AnyUser, person_uuid: uuid.UUID | str, perm: Perm = Perm.PEOPLE_VIEW) -> Person:
    return get_scoped_or_404(
        Person.objects.active().select_related("region", "region__parent", "household"),
        user,
        perm,
        uuid=person_uuid,
    )


def households_for(user: AnyUser, perm: Perm = Perm.PEOPLE_VIEW) -> QuerySet[Household]:
    return scoped(Household.objects.filter(is_active=True), user, perm)


def search(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    """Name, pinyin initials (`zs` → 张三), full pinyin, or the last digits of ID number or phone."""
    q = (q or "").strip()
    if not q:
        return qs
    if q.isdigit() or (q[:-1].isdigit() and q[-1:].upper() == "X"):
        return qs.filter(Q(document_number__endswith=q.upper()) | Q(phone__endswith=q))
    if q.isascii():
        low = q.lower()
        return qs.filter(Q(name_initials__startswith=low) | Q(name_pinyin__startswith=low))
    return qs.filter(name__contains=q)
