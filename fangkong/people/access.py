"""Reading people and households: always through these helpers, scoped to the user's jurisdiction."""

from __future__ import annotations

import contextlib
import uuid

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from fangkong.accounts.access import (
    AnyUser,
    get_scoped_or_404,
    has_perm,
    in_unit,
    jurisdiction,
    require,
    scoped,
    within,
)
from fangkong.accounts.permissions import Perm
from fangkong.lib import phones
from fangkong.people.models import Household, PeopleExport, Person, PersonTransfer


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


_NUMBER_SEPARATORS = str.maketrans("", "", " -")


def search_candidates(q: str) -> QuerySet[Person] | None:
    """The search `q` over all active people, unscoped (ids only: see `paging.search_ids`); None for no search."""
    q = (q or "").strip()
    return search(Person.objects.active(), q) if q else None


def search(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    """Name, pinyin initials (`zs` → 张三), full pinyin, or a number.

    A number matches its last four characters or the whole number only (ID or other document number, or
    phone): a longer suffix would let a user without the reveal permission recover a masked number one digit
    at a time.
    """
    q = (q or "").strip()
    if not q:
        return qs
    if any(ch.isdigit() for ch in q) and q.isascii():
        number = q.translate(_NUMBER_SEPARATORS).upper()
        if len(number) == 4:
            return qs.filter(Q(document_last4=number) | Q(phone_last4=number))
        whole = Q(document_number=number)
        with contextlib.suppress(phones.PhoneError):
            whole |= Q(phone=phones.normalise(number))
        return qs.filter(whole)
    if q.isascii():
        low = q.lower()
        return qs.filter(_name_prefix(low))
    return qs.filter(name__contains=q)


def _prefix(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, written as a range too so that an ordinary index serves it (a LIKE
    prefix uses none on SQLite, nor on PostgreSQL outside the C collation); the range holds every string
    that starts with `prefix`, and `startswith` keeps the match exact."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper, f"{field}__startswith": prefix})


def _name_prefix(prefix: str) -> Q:
    """Pinyin initials or full pinyin start with `prefix`: two index ranges, as a subquery of ids so the
    database reads them through the two indexes and not the whole table."""
    initials = Person.objects.filter(_prefix("name_initials", prefix), is_active=True).order_by().values("pk")
    pinyin = Person.objects.filter(_prefix("name_pinyin", prefix), is_active=True).order_by().values("pk")
    return Q(pk__in=initials.union(pinyin, all=True))


def export_people_for(export: PeopleExport) -> QuerySet[Person]:
    """What `export` may contain: its requester's people (as they may export now), filtered as asked."""
    user = export.requested_by
    qs = people_for(user, Perm.PEOPLE_EXPORT).order_by("id")
    if export.region_code:
        qs = in_unit(qs, user, export.region_code)
    return search(qs, export.q)


def access_export(user: AnyUser, export_uuid: uuid.UUID | str) -> PeopleExport:
    """An export is its requester's alone: anyone else gets 404."""
    require(user, Perm.PEOPLE_EXPORT)
    return get_object_or_404(PeopleExport, uuid=export_uuid, requested_by_id=getattr(user, "pk", None))


def transfers_for(user: AnyUser) -> QuerySet[PersonTransfer]:
    """Hand-overs the user's unit asked for (reported in it) or must decide (holds the person)."""
    root = jurisdiction(user)
    if root is None or not has_perm(user, Perm.PEOPLE_VIEW):
        return PersonTransfer.objects.none()
    return PersonTransfer.objects.select_related(
        "person", "from_region", "from_region__parent", "region", "region__parent"
    ).filter(within(root) | within(root, via="from_region"))


def access_transfer_to_decide(user: AnyUser, transfer_uuid: uuid.UUID | str) -> PersonTransfer:
    """A hand-over the user may decide: they hold the person (or are above both units); else 404."""
    root = require(user, Perm.PEOPLE_CHANGE)
    return get_object_or_404(
        PersonTransfer.objects.select_related("person", "from_region", "region").filter(
            within(root, via="from_region")
        ),
        uuid=transfer_uuid,
    )
