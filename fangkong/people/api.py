"""/api/v1/people/: list (paginated, filterable), create, read and update — all jurisdiction-scoped."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Query, Router, Status

from fangkong.accounts.access import access_region, acting_user
from fangkong.accounts.permissions import Perm
from fangkong.lib.schemas import InputSchema
from fangkong.lib.versions import StaleEditError
from fangkong.people.access import access_person, people_for, search
from fangkong.people.actions import check_register_within, do_reveal, do_update_person
from fangkong.people.schemas import ErrorOut, PersonIn, PersonOut, PersonPage, PersonPatch

router = Router(tags=["people"])


class PersonFilters(InputSchema):
    q: str = ""
    region: str = ""
    page: int = 1
    page_size: int = 50


@router.get("/", response=PersonPage)
def list_people(request: HttpRequest, filters: Query[PersonFilters]) -> dict[str, Any]:
    qs = people_for(request.user)
    if filters.region:
        qs = qs.filter(region__path__startswith=access_region(request.user, filters.region).path)
    qs = search(qs, filters.q)
    paginator = Paginator(qs, max(1, min(filters.page_size, 200)))
    page = paginator.get_page(filters.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": [PersonOut.build(p) for p in page],
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
