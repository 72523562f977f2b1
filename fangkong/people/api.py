"""/api/v1/people/: list (paginated, filterable), create, read and update — all jurisdiction-scoped."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from fangkong.accounts.access import access_region, acting_user, in_unit
from fangkong.accounts.permissions import Perm
from fangkong.lib.schemas import InputSchema
from fangkong.lib.versions import StaleEditError
from fangkong.people.access import access_person, people_for
from fangkong.people.actions import check_register_within, do_reveal, do_update_person
from fangkong.people.paging import keyset_page
from fangkong.people.schemas import ErrorOut, PersonIn, PersonOut, PersonPage, PersonPatch

router = Router(tags=["people"])


class PersonFilters(InputSchema):
    q: str = ""
    region: str = ""
    limit: int = Field(50, description="Rows per page, 1 to 200 (clamped).")
    after: str = Field("", description="The `next` cursor of the previous page; empty for the first page.")
    page_size: int | None = Field(None, description="Deprecated: the old name of `limit`.")


@router.get("/", response=PersonPage)
def list_people(request: HttpRequest, filters: Query[PersonFilters]) -> dict[str, Any]:
    """People in pinyin order, a page at a time: follow `next` until it is null. `count` is exact up to
    1000; beyond that `count_capped` is true (a million people are not counted on every page)."""
    qs = people_for(request.user)
    if filters.region:
        qs = in_unit(qs, request.user, filters.region)
    limit = (
        filters.page_size if filters.page_size is not None and "limit" not in request.GET else filters.limit
    )
    page = keyset_page(qs, limit=limit, after=filters.after, q=filters.q)
    return {
        "count": page.count,
        "count_capped": page.count_capped,
        "next": page.next_cursor,
        "results": [PersonOut.build(p) for p in page.rows],
    }


@router.post("/", response={201: PersonOut, 200: PersonOut, 400: ErrorOut})
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Any]:
    region = access_region(request.user, payload.region_code, Perm.PEOPLE_CHANGE)
    data = payload.dict(exclude={"region_code"})
    try:
        person, created = check_register_within(acting_user(request), region=region, **data)
    except ValidationError as exc:
        return Status(400, {"detail": exc.message_dict})
    return Status(201 if created else 200, PersonOut.build(person))


@router.get("/{person_uuid}", response=PersonOut)
def read_person(request: HttpRequest, person_uuid: uuid.UUID, reveal: bool = False) -> PersonOut:
    if reveal:
        person = access_person(request.user, person_uuid, Perm.PEOPLE_REVEAL)
        return PersonOut.build(person, do_reveal(acting_user(request), person))
    return PersonOut.build(access_person(request.user, person_uuid))


@router.patch("/{person_uuid}", response={200: PersonOut, 400: ErrorOut, 409: ErrorOut})
def update_person(request: HttpRequest, person_uuid: uuid.UUID, payload: PersonPatch) -> Status[Any]:
    person = access_person(request.user, person_uuid, Perm.PEOPLE_CHANGE)
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    if "region_code" in changes:
        changes["region"] = access_region(request.user, changes.pop("region_code"), Perm.PEOPLE_CHANGE)
    expected = changes.pop("version", None)
    try:
        person = do_update_person(acting_user(request), person, expected_version=expected, **changes)
    except StaleEditError as exc:
        return Status(409, {"detail": exc.message_dict})
    except ValidationError as exc:
        return Status(400, {"detail": exc.message_dict})
    return Status(200, PersonOut.build(person))
