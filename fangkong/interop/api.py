"""/api/v1/fhir/: Patient, Observation and Immunization as FHIR R4 JSON (`application/fhir+json`).

Searches answer a `searchset` Bundle a page at a time (`_count`, at most 200; follow the `next` link), scoped to
the caller's jurisdiction by the person's unit. Personal numbers are masked by default (the `data-absent-reason`
extension, code `masked`; the birth year only). `reveal=true` gives a caller allowed to reveal them the ID number
under `urn:oid:2.16.156.10011.1.3`, the phone and the birth date in full, each person so shown audited as a
reveal; anyone else asking is refused (403).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from ninja import Router

from fangkong.accounts.access import acting_user, has_perm
from fangkong.accounts.permissions import Perm
from fangkong.lib.fhir import clamp_count, decode_cursor, outcome, searchset, validated
from fangkong.people.access import access_person, people_for
from fangkong.people.actions import do_reveal
from fangkong.people.fhir import patient
from fangkong.people.models import Person
from fangkong.testing.fhir import observation, samples_for
from fangkong.vaccination.fhir import doses_for, immunization

router = Router(tags=["fhir"])
FHIR_JSON = "application/fhir+json; charset=utf-8"
REVEALED = ("document_number", "phone", "birth_date")


def fhir_response(body: dict[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=FHIR_JSON)


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/api/v1/fhir/")


def _page(
    request: HttpRequest, resource: str, qs: QuerySet[Any], build: Callable[[Any], dict[str, Any]]
) -> HttpResponse:
    try:
        count = clamp_count(int(request.GET.get("_count") or 0))
    except ValueError:
        return fhir_response(outcome("invalid", _("_count must be a whole number.")), 400)
    after = decode_cursor(request.GET.get("_cursor", ""))
    rows = qs.filter(pk__gt=after).order_by("pk")[: count + 1]
    params = {k: v for k, v in request.GET.items() if k != "_cursor"}
    base = _base(request)
    return fhir_response(
        searchset(
            base,
            request.build_absolute_uri(),
            rows,
            build,
            count=count,
            next_url=lambda cursor: f"{base}{resource}?{urlencode(params | {'_cursor': cursor})}",
        )
    )


def _patient_builder(request: HttpRequest) -> Callable[[Person], dict[str, Any]] | HttpResponse:
    """Masked by default; `reveal=true` shows the numbers in full to a caller allowed to see them, each person
    audited as a reveal — and is refused to anyone else."""
    if request.GET.get("reveal", "").lower() not in ("true", "1"):
        return patient
    if not has_perm(request.user, Perm.PEOPLE_REVEAL):
        return fhir_response(outcome("forbidden", _("You may not see personal numbers in full.")), 403)
    actor = acting_user(request)
    return lambda person: patient(person, do_reveal(actor, person, REVEALED))


def _subject(request: HttpRequest, *names: str) -> tuple[uuid.UUID | None, HttpResponse | None]:
    """The patient a search names (`Patient/<id>` or the bare id), or an error answer for an unreadable one."""
    value = next((request.GET[n] for n in names if request.GET.get(n)), "")
    if not value:
        return None, None
    try:
        return uuid.UUID(value.removeprefix("Patient/")), None
    except ValueError:
        return None, fhir_response(outcome("invalid", _("Name the patient as Patient/<id>.")), 400)


@router.get("/metadata", include_in_schema=False)
def capability_statement(request: HttpRequest) -> HttpResponse:
    interactions = [{"code": "read"}, {"code": "search-type"}]
    resources = [
        {
            "type": "Patient",
            "interaction": interactions,
            "searchParam": [{"name": "identifier", "type": "token"}],
        },
        {
            "type": "Observation",
            "interaction": interactions[1:],
            "searchParam": [{"name": "subject", "type": "reference"}],
        },
        {
            "type": "Immunization",
            "interaction": interactions[1:],
            "searchParam": [{"name": "patient", "type": "reference"}],
        },
    ]
    statement = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-11-30",
        "kind": "instance",
        "fhirVersion": "4.3.0",
        "format": ["json"],
        "implementation": {"description": "Fangkong 防控", "url": _base(request)},
        "rest": [{"mode": "server", "resource": resources}],
    }
    return fhir_response(validated(CapabilityStatement, statement))


@router.get("/Patient", include_in_schema=False)
def search_patients(request: HttpRequest) -> HttpResponse:
    qs = people_for(request.user)
    identifier = request.GET.get("identifier", "")
    if identifier:
        qs = qs.filter(document_number=identifier.rpartition("|")[2].strip().upper())
    build = _patient_builder(request)
    if isinstance(build, HttpResponse):
        return build
    return _page(request, "Patient", qs, build)


@router.get("/Patient/{patient_uuid}", include_in_schema=False)
def read_patient(request: HttpRequest, patient_uuid: uuid.UUID) -> HttpResponse:
    try:
        person = access_person(request.user, patient_uuid)
    except Http404:
        return fhir_response(outcome("not-found", _("Not found.")), 404)
    build = _patient_builder(request)
    if isinstance(build, HttpResponse):
        return build
    return fhir_response(build(person))


@router.get("/Observation", include_in_schema=False)
def search_observations(request: HttpRequest) -> HttpResponse:
    subject, error = _subject(request, "subject", "patient")
    if error is not None:
        return error
    qs = samples_for(request.user)
    if subject is not None:
        qs = qs.filter(person__uuid=subject)
    return _page(request, "Observation", qs, observation)


@router.get("/Immunization", include_in_schema=False)
def search_immunizations(request: HttpRequest) -> HttpResponse:
    subject, error = _subject(request, "patient")
    if error is not None:
        return error
    qs = doses_for(request.user)
    if subject is not None:
        qs = qs.filter(person__uuid=subject)
    return _page(request, "Immunization", qs, immunization)
