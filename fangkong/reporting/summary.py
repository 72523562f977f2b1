"""The day's reporting summary that other apps (the briefing) read: one call, plain dataclasses.

This is the public contract of the reporting app; keep the shapes stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from fangkong.lib import reporting_day
from fangkong.regions.models import Level, Region


@dataclass(frozen=True)
class UnitStatus:
    """一个填报单位当天的报送状态."""

    region_code: str
    region_name: str
    status: str  # ReportStatus value: "on_time" | "zero" | "late" | "pending" | "overdue" | "missing"
    status_label: str  # localized label
    submitted_at: datetime | None


@dataclass(frozen=True)
class UrgentItem:
    """一条专题报送."""

    sent_at: datetime
    unit_name: str
    kind_label: str
    text: str
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class DaySummary:
    """日报汇总: figures, timeliness, urgent reports and open accountability for one reporting day."""

    day: date
    indicators: list[tuple[str, str]]  # (code, localized name) in form order
    totals: dict[str, int]  # indicator code -> district total for the day
    per_township: list[tuple[str, dict[str, int]]]  # (township name, {code: value}) in tree order
    # completeness.Tally.as_dict(): expected, received (on_time + zero + late), on_time, zero, late,
    # not_filed (pending + overdue + missing), pending, overdue, missing
    timeliness: dict[str, int]
    late_or_missing: list[UnitStatus]
    urgent: list[UrgentItem]
    accountability_open: int


def district_root() -> Region | None:
    return Region.objects.active().filter(parent__isnull=True, level=Level.COUNTY).order_by("path").first()


def day_summary(day: date, *, now: datetime | None = None) -> DaySummary:
    """The district-wide summary of `day` as known at `now` (default: the current instant).

    `totals` is the district roll-up of the township reports; `per_township` holds each township's own
    report ({} when the township has not filed). Names are localized in the active language.
    """
    from fangkong.reporting.actions import rollup
    from fangkong.reporting.completeness import Tally, completeness, late_or_missing
    from fangkong.reporting.models import (
        CLOSED_STATES,
        AccountabilityRecord,
        ReportForm,
        ReportStatus,
        ReportValue,
        UrgentReport,
    )

    now = now or timezone.now()
    form = ReportForm.current()
    root = district_root()
    empty = Tally().as_dict()
    if form is None or root is None:
        return DaySummary(
            day=day,
            indicators=[],
            totals={},
            per_township=[],
            timeliness=empty,
            late_or_missing=[],
            urgent=[],
            accountability_open=0,
        )
    indicators = [(i.code, i.name) for i in form.active_indicators()]
    codes = {code for code, _name in indicators}
    totals = {code: 0 for code, _name in indicators}
    totals.update({k: v for k, v in rollup(root, day).items() if k in codes})

    townships = list(Region.objects.active().filter(parent=root, level=Level.TOWNSHIP).order_by("path"))
    by_township: dict[int, dict[str, int]] = {t.pk: {} for t in townships}
    for region_id, code, value in ReportValue.objects.filter(
        report__day=day, report__submitted_at__isnull=False, report__region__in=townships
    ).values_list("report__region_id", "indicator__code", "value"):
        if code in codes:
            by_township[region_id][code] = value
    per_township = [(t.name, by_township[t.pk]) for t in townships]

    timeliness = completeness(root, day, day, now, form).total.as_dict()
    _count, bad = late_or_missing(root, day, now, form=form)
    labels = dict(ReportStatus.choices)
    late_or_missing_units = [
        UnitStatus(u.region.code, u.region.name, u.status.value, str(labels[u.status]), u.submitted_at)
        for u in bad
    ]
    start = reporting_day.day_end(day - timedelta(days=1))
    urgent = [
        UrgentItem(r.sent_at, r.region.name, r.get_kind_display(), r.text, r.acknowledged_at)
        for r in UrgentReport.objects.filter(sent_at__gte=start, sent_at__lt=reporting_day.day_end(day))
        .select_related("region")
        .order_by("sent_at")
    ]
    accountability_open = (
        AccountabilityRecord.objects.filter(day=day).exclude(state__in=CLOSED_STATES).count()
    )
    return DaySummary(
        day=day,
        indicators=indicators,
        totals=totals,
        per_township=per_township,
        timeliness=timeliness,
        late_or_missing=late_or_missing_units,
        urgent=urgent,
        accountability_open=accountability_open,
    )
