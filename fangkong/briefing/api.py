"""Briefing API (/api/v1/briefings/): list, one briefing with its versions, file download, generate.

Scoped like the pages: only county-level users see briefings; anyone else gets 404 (or an empty list).
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from fangkong.accounts.access import acting_user, require
from fangkong.accounts.permissions import Perm
from fangkong.briefing.access import access_briefing, access_county, access_version, briefings_for
from fangkong.briefing.actions import do_generate_briefing, do_record_download
from fangkong.briefing.models import CONTENT_TYPES, Briefing, BriefingVersion, FileFormat
from fangkong.lib.schemas import InputSchema

router = Router(tags=["briefing"])


class VersionOut(Schema):
    uuid: uuid.UUID
    number: int
    trigger: str
    generated_at: datetime.datetime
    docx_size: int
    pdf_size: int
    duration_ms: int
    docx_url: str
    pdf_url: str


class BriefingOut(Schema):
    uuid: uuid.UUID
    county: str
    day: datetime.date
    year: int
    issue_no: int | None
    next_steps: str
    versions: list[VersionOut]


class GenerateIn(InputSchema):
    day: datetime.date


def _version_out(v: BriefingVersion) -> VersionOut:
    def url(fmt: str) -> str:
        return reverse("api:briefing_version_file", kwargs={"version_uuid": v.uuid, "fmt": fmt})

    return VersionOut(
        uuid=v.uuid,
        number=v.number,
        trigger=v.trigger,
        generated_at=v.generated_at,
        docx_size=v.docx_size,
        pdf_size=v.pdf_size,
        duration_ms=v.duration_ms,
        docx_url=url("docx"),
        pdf_url=url("pdf"),
    )


def _out(b: Briefing) -> BriefingOut:
    return BriefingOut(
        uuid=b.uuid,
        county=b.region.name,
        day=b.day,
        year=b.year,
        issue_no=b.issue_no,
        next_steps=b.next_steps,
        versions=[_version_out(v) for v in b.versions.all()],
    )


def _versions() -> Prefetch:
    return Prefetch("versions", queryset=BriefingVersion.objects.without_files().order_by("-number"))


@router.get("/", response=list[BriefingOut])
def list_briefings(request: HttpRequest, year: int | None = None) -> list[BriefingOut]:
    """Generated briefings, newest day first (at most 100; filter by `year` for older ones)."""
    require(request.user, Perm.BRIEFING_VIEW)
    qs = briefings_for(request.user).filter(issue_no__isnull=False).prefetch_related(_versions())
    if year is not None:
        qs = qs.filter(year=year)
    return [_out(b) for b in qs.order_by("-day")[:100]]


@router.get("/{uuid:briefing_uuid}", response=BriefingOut)
def get_briefing(request: HttpRequest, briefing_uuid: uuid.UUID) -> BriefingOut:
    briefing = access_briefing(request.user, briefing_uuid)
    return _out(briefings_for(request.user).prefetch_related(_versions()).get(pk=briefing.pk))


@router.get("/versions/{uuid:version_uuid}/{fmt}", url_name="briefing_version_file")
def version_file(request: HttpRequest, version_uuid: uuid.UUID, fmt: str) -> HttpResponse:
    """The DOCX or PDF of one version (audited as an export)."""
    if fmt not in FileFormat.values:
        raise Http404  # answered by the API's translated 404
    version = access_version(request.user, version_uuid)
    file_format = FileFormat(fmt)
    response = HttpResponse(
        do_record_download(acting_user(request), version, file_format),
        content_type=CONTENT_TYPES[file_format],
    )
    response["Content-Disposition"] = content_disposition_header(True, version.filename(file_format))
    return response


@router.post("/generate", response={201: BriefingOut})
def generate(request: HttpRequest, payload: GenerateIn) -> Status:
    """Generate a new version of the day's briefing now (takes a second or two)."""
    county = access_county(request.user, Perm.BRIEFING_EDIT)
    try:
        version = do_generate_briefing(acting_user(request), county, payload.day, timezone.now())
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    return Status(201, get_briefing(request, version.briefing.uuid))
