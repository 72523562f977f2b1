"""Every change to briefings: generating a version, typing the next steps, recording a download.

Generation renders for about a second. That work happens outside any transaction so it never holds
the database write lock (SQLite takes it at BEGIN): a short transaction first reserves the issue number,
the documents are rendered, and a second short transaction stores the version with its audit row.
"""

from __future__ import annotations

import datetime
import logging
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from fangkong.accounts.models import User
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.briefing.models import Briefing, BriefingVersion, FileFormat, Trigger, parse_briefing_time
from fangkong.briefing.render import build_docx, build_pdf, make_charts
from fangkong.lib.dates import day_error, parse_day
from fangkong.lib.reporting_day import SHANGHAI, local_date
from fangkong.regions.models import Level, Region
from fangkong.reporting.summary import DaySummary, day_summary

log = logging.getLogger(__name__)

NEXT_STEPS_MAX_LENGTH = 5000


def briefing_time() -> datetime.time:
    """The configured Beijing time of the daily generation (setting BRIEFING_TIME, default 17:00)."""
    raw = getattr(settings, "BRIEFING_TIME", "17:00")
    try:
        return parse_briefing_time(str(raw))
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from None


def scheduled_at(day: datetime.date) -> datetime.datetime:
    """When the automatic briefing of `day` is due, as an aware instant."""
    return datetime.datetime.combine(day, briefing_time(), tzinfo=SHANGHAI)


def district_counties() -> list[Region]:
    """The counties a briefing is generated for (in practice the one district)."""
    return list(Region.objects.active().filter(level=Level.COUNTY))


def check_county(region: Region) -> Region:
    if region.level != Level.COUNTY:
        raise ValidationError(_("A briefing covers a whole county or district."))
    return region


def check_day(day: datetime.date, now: datetime.datetime) -> datetime.date:
    """A briefing reports on a day that has begun: today (Beijing) or earlier, and not before the span
    the system has data for (the summary of 0001-01-01 would overflow asking for the day before)."""
    if day > local_date(now):
        raise ValidationError(_("There is no briefing for a day that has not begun."))
    if parse_day(day) is None:
        raise ValidationError(day_error())
    return day


def check_next_steps(text: str) -> str:
    cleaned = "\n".join(line.rstrip() for line in (text or "").replace("\r\n", "\n").split("\n")).strip()
    if len(cleaned) > NEXT_STEPS_MAX_LENGTH:
        raise ValidationError(
            _("Next steps may have at most %(n)d characters.") % {"n": NEXT_STEPS_MAX_LENGTH}
        )
    return cleaned


def load_summary(day: datetime.date, now: datetime.datetime) -> DaySummary:
    """The reporting app's figures for `day`, with its labels in Chinese (the document's language)."""
    with translation.override("zh-hans"):
        return day_summary(day, now=now)


@transaction.atomic
def _reserve_issue(county: Region, day: datetime.date) -> Briefing:
    """The day's briefing with its issue number (期号), assigned now if this is its first generation.

    Numbers run 1, 2, 3… per county and calendar year in the order briefings are first generated; the
    county row is locked so two generations cannot take the same number.
    """
    Region.objects.select_for_update().filter(pk=county.pk).first()
    briefing, _created = Briefing.objects.get_or_create(region=county, day=day, defaults={"year": day.year})
    if briefing.issue_no is None:
        last = Briefing.objects.filter(region=county, year=briefing.year).aggregate(m=Max("issue_no"))["m"]
        briefing.issue_no = (last or 0) + 1
        briefing.save(update_fields=["issue_no", "updated_at"])
    return briefing


@transaction.atomic
def _store_version(
    actor: User | None,
    briefing: Briefing,
    trigger: Trigger,
    now: datetime.datetime,
    next_steps: str,
    docx: bytes,
    pdf: bytes,
    duration_ms: int,
) -> BriefingVersion:
    # Lock the briefing row so that two generations of the same day finishing together cannot both read
    # the same last number and collide on the version's unique number.
    Briefing.objects.select_for_update().filter(pk=briefing.pk).first()
    last = briefing.versions.aggregate(m=Max("number"))["m"] or 0
    version = BriefingVersion.objects.create(
        briefing=briefing,
        number=last + 1,
        trigger=trigger,
        generated_at=now,
        generated_by=actor,
        next_steps=next_steps,
        docx=docx,
        pdf=pdf,
        docx_size=len(docx),
        pdf_size=len(pdf),
        duration_ms=duration_ms,
    )
    record(
        actor,
        AuditAction.CREATE,
        obj=briefing,
        now=now,
        changes={"version": [last or None, version.number]}
        if last
        else {"issue_no": [None, briefing.issue_no]},
        note=f"v{version.number} {trigger} docx={len(docx)}B pdf={len(pdf)}B {duration_ms}ms",
    )
    return version


def do_generate_briefing(
    actor: User | None,
    county: Region,
    day: datetime.date,
    now: datetime.datetime,
    *,
    trigger: Trigger = Trigger.ON_DEMAND,
) -> BriefingVersion:
    """Generate the briefing of `day` for `county` as a new version (old versions are kept).

    `actor` is None for the scheduled job and the command line. Raises ValidationError for a day that
    has not begun or a region that is not a county.
    """
    check_county(county)
    check_day(day, now)
    briefing = _reserve_issue(county, day)
    assert briefing.issue_no is not None  # noqa: S101 - _reserve_issue assigns it
    started = time.perf_counter()
    summary = load_summary(day, now)
    images = make_charts(summary)
    docx = build_docx(summary, briefing.issue_no, briefing.next_steps, images=images)
    pdf = build_pdf(summary, briefing.issue_no, briefing.next_steps, images=images)
    duration_ms = round((time.perf_counter() - started) * 1000)
    version = _store_version(actor, briefing, trigger, now, briefing.next_steps, docx, pdf, duration_ms)
    log.info(
        "briefing %s issue %s v%s generated in %d ms", day, briefing.issue_no, version.number, duration_ms
    )
    return version


@transaction.atomic
def do_set_next_steps(
    actor: User, county: Region, day: datetime.date, text: str, *, now: datetime.datetime
) -> Briefing:
    """Save the office's next steps (下一步工作) for the briefing of `day`; used by the next generation.

    The briefing row is created if the day has not been generated yet; its issue number waits for
    the first generation.
    """
    check_county(county)
    check_day(day, now)
    cleaned = check_next_steps(text)
    briefing, _created = Briefing.objects.get_or_create(region=county, day=day, defaults={"year": day.year})
    if briefing.next_steps != cleaned:
        before = briefing.next_steps
        briefing.next_steps = cleaned
        briefing.save(update_fields=["next_steps", "updated_at"])
        record(actor, AuditAction.UPDATE, obj=briefing, changes={"next_steps": [before, cleaned]}, now=now)
    return briefing


@transaction.atomic
def do_record_download(actor: User, version: BriefingVersion, fmt: FileFormat) -> bytes:
    """The file of `version` in `fmt`, with the download written to the audit log (导出)."""
    record(actor, AuditAction.EXPORT, obj=version.briefing, note=f"{fmt.value} v{version.number}")
    return version.file_bytes(fmt)


def generate_due_briefings(now: datetime.datetime) -> list[BriefingVersion]:
    """The scheduled job: once the configured time has passed, generate today's briefing once.

    Idempotent: a county whose briefing of today already has a version generated at or after the
    scheduled time is skipped. A preview generated on demand earlier in the day does not count,
    since the figures were not final then.
    """
    today = local_date(now)
    due = scheduled_at(today)
    if now < due:
        return []
    made = []
    for county in district_counties():
        done = BriefingVersion.objects.filter(
            briefing__region=county, briefing__day=today, generated_at__gte=due
        ).exists()
        if not done:
            made.append(do_generate_briefing(None, county, today, now, trigger=Trigger.SCHEDULED))
    return made
