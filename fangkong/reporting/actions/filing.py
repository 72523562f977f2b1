"""Filing, correcting and reviewing daily reports (日报告/零报告) for the day they are meant for."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm, Role
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.lib import reporting_day
from fangkong.regions.models import Region
from fangkong.reporting import sources
from fangkong.reporting.actions.accountability import open_accountability, settle_timeliness
from fangkong.reporting.actions.notifications import day_label, notify, user_ids_with
from fangkong.reporting.models import (
    MAX_FIGURE,
    AccountabilityReason,
    AccountabilityRecord,
    AccountabilityState,
    AccountabilityTopic,
    DailyReport,
    Indicator,
    ReportForm,
    ReportRevision,
    ReportState,
    ReportValue,
)


def check_unit(form: ReportForm, unit: Region) -> None:
    if unit.level not in form.levels or not unit.is_active:
        raise ValidationError({"region": _("This unit does not file this report.")})


def check_day(day: datetime.date, now: datetime.datetime, *, first_submission: bool) -> None:
    """A report is filed for the day it names, never moved to another: a future day is refused, and so is
    a first filing once its day is over (the report of that day is missing). Corrections of a submitted
    report stay open for its own day."""
    if day > reporting_day.reporting_day(now):
        raise ValidationError(
            {
                "day": _("The report of %(day)s cannot be filed yet: that day has not begun.")
                % {"day": day_label(day)}
            }
        )
    if first_submission and reporting_day.is_day_over(day, now):
        raise ValidationError(
            {
                "day": _(
                    "Nothing was saved: the day %(day)s ended at midnight, so its report can no longer be "
                    "filed and is recorded as missing. File today's report (%(today)s) separately."
                )
                % {"day": day_label(day), "today": day_label(reporting_day.reporting_day(now))}
            }
        )


def check_values(indicators: list[Indicator], values: Mapping[str, Any], *, is_zero: bool) -> dict[str, int]:
    """Clean figures for every active indicator. A zero report fills them all with 0."""
    if is_zero:
        return {ind.code: 0 for ind in indicators}
    clean: dict[str, int] = {}
    errors: dict[str, str] = {}
    for ind in indicators:
        raw = values.get(ind.code)
        try:
            number = int(str(raw).strip()) if raw is not None and str(raw).strip() != "" else None
        except ValueError:
            number = None
            errors[ind.code] = _("Enter a whole number.")
            continue
        if number is None:
            errors[ind.code] = _("Enter a figure (0 if none).")
        elif number < 0:
            errors[ind.code] = _("A figure cannot be negative.")
        elif number > MAX_FIGURE:
            errors[ind.code] = _("A figure cannot be larger than %(max)s.") % {"max": f"{MAX_FIGURE:,}"}
        else:
            clean[ind.code] = number
    errors.update(_impossible_combinations(clean))
    if errors:
        raise ValidationError(errors)
    if indicators and not any(clean.values()):
        # 零报告 must be an explicit choice, so that "nothing happened" is a statement, not a default.
        raise ValidationError({"is_zero": _("Every figure is 0: file a zero report instead.")})
    return clean


# Nucleic-acid figures of the default form: results come from the samples taken.
SAMPLES, NEGATIVE, POSITIVE = "nat_samples", "nat_negative", "nat_positive"


def _impossible_combinations(clean: Mapping[str, int]) -> dict[str, str]:
    """Figures that cannot be true together: more results than samples."""
    if SAMPLES not in clean:
        return {}
    samples = clean[SAMPLES]
    positive, negative = clean.get(POSITIVE, 0), clean.get(NEGATIVE, 0)
    if positive > samples:
        return {
            POSITIVE: _("Positives (%(positive)s) cannot be more than the samples taken (%(samples)s).")
            % {"positive": positive, "samples": samples}
        }
    if negative + positive > samples:
        return {
            NEGATIVE: _(
                "Negatives and positives together (%(sum)s) cannot be more than the samples taken (%(samples)s)."
            )
            % {"sum": negative + positive, "samples": samples}
        }
    return {}


def rollup(region: Region, day: datetime.date) -> dict[str, int]:
    """The sum of the submitted reports of the units directly below `region` (township ← villages,
    district ← townships), by indicator code."""
    rows = (
        ReportValue.objects.filter(
            report__day=day, report__submitted_at__isnull=False, report__region__parent=region
        )
        .values("indicator__code")
        .annotate(total=Sum("value"))
    )
    return {row["indicator__code"]: int(row["total"] or 0) for row in rows}


def prefill(
    region: Region, day: datetime.date, form: ReportForm | None = None, *, now: datetime.datetime
) -> dict[str, int]:
    """What the form shows before the reporter confirms: the records where a source exists (as of `now`, or
    the day's end for a past day), else the roll-up of the units below."""
    form = form or ReportForm.current()
    if form is None:
        return {}
    indicators = list(form.active_indicators())
    values = sources.source_values({i.code: i.source for i in indicators if i.source}, region, day, now)
    below = rollup(region, day)
    for ind in indicators:
        if ind.code not in values and ind.code in below:
            values[ind.code] = below[ind.code]
    return values


@transaction.atomic
def do_file_report(
    actor: User,
    unit: Region,
    day: datetime.date,
    values: Mapping[str, Any],
    *,
    now: datetime.datetime,
    is_zero: bool = False,
    reason: str = "",
    version: int | None = None,
) -> DailyReport:
    """File the unit's report for `day`, or correct it (a new revision) if it was already submitted.

    `version` is the version the filer's form showed (0: not yet submitted); when given and someone else has
    filed since, the save is refused with what they filed, instead of silently replacing it."""
    form = ReportForm.current()
    if form is None:
        raise ValidationError({"form": _("No report form is active.")})
    check_unit(form, unit)
    # Create the row if it does not exist yet, then hold its lock: two first filings, or a filing racing
    # the 12:00 sweep's placeholder rows, would otherwise both insert and break one_report_per_unit_day.
    # get_or_create retries the read when its insert loses the race. A refused filing rolls the row back.
    report, _created = DailyReport.objects.select_for_update().get_or_create(
        region=unit, day=day, defaults={"form": form}
    )
    first = report.first_submitted_at is None
    check_day(day, now, first_submission=first)
    current_version = 0 if first else report.version
    if version is not None and version != current_version:
        raise ValidationError({"version": _stale_message(report, values, is_zero=is_zero)})
    if report is not None and not first and report.form_id != form.pk:
        form = report.form
    indicators = list(form.active_indicators())
    clean = check_values(indicators, values, is_zero=is_zero)
    records = sources.source_values({i.code: i.source for i in indicators if i.source}, unit, day, now)

    before: dict[str, Any] = {}
    if not first:
        old = {v.indicator.code: v.value for v in report.values.select_related("indicator")}
        before = {"values": old, "is_zero": report.is_zero, "revision": report.revision}
        assert report.submitted_at is not None  # noqa: S101 - not first means submitted
        ReportRevision.objects.create(
            report=report,
            number=report.revision,
            values=old,
            is_zero=report.is_zero,
            submitted_at=report.submitted_at,
            submitted_by=report.submitted_by,
            replaced_at=now,
            replaced_by=actor,
            reason=reason.strip(),
        )
        report.revision += 1
    else:
        report.first_submitted_at = now
        report.is_late = reporting_day.is_late(day, now)
    report.submitted_at = now
    report.submitted_by = actor
    report.is_zero = is_zero
    report.state = ReportState.SUBMITTED
    report.reviewed_by, report.reviewed_at = None, None
    report.has_discrepancy = any(code in records and records[code] != value for code, value in clean.items())
    report.status = report.current_status(now)
    report.save()

    report.values.all().delete()  # the previous figures live on in the ReportRevision above
    ReportValue.objects.bulk_create(
        ReportValue(report=report, indicator=ind, value=clean[ind.code], source_value=records.get(ind.code))
        for ind in indicators
    )
    if first:
        settled = settle_timeliness(report, now)
        if settled is not None:
            _tell_settled(report, settled, now)
    if report.is_late and ReportForm.is_due(unit, day):
        open_accountability(report, AccountabilityTopic.TIMELINESS, AccountabilityReason.LATE, now)
    if report.has_discrepancy:
        open_accountability(report, AccountabilityTopic.ACCURACY, AccountabilityReason.DISCREPANCY, now)
    if clean.get(POSITIVE, 0) > before.get("values", {}).get(POSITIVE, 0):
        _alert_positives(report, clean[POSITIVE], now)
    after = {"values": clean, "is_zero": is_zero, "revision": report.revision}
    record(
        actor,
        AuditAction.CREATE if first else AuditAction.UPDATE,
        obj=report,
        changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
        note=reason.strip(),
        now=now,
    )
    return report


def _stale_message(report: DailyReport, values: Mapping[str, Any], *, is_zero: bool) -> str:
    """Who filed the report since the form was opened, and where their figures differ from these."""
    saved = {v.indicator.code: (v.indicator.name, v.value) for v in report.values.select_related("indicator")}
    changes = []
    for code, (name, value) in saved.items():
        mine = 0 if is_zero else values.get(code)
        if mine is None or str(mine).strip() != str(value):
            changes.append(
                _("%(name)s: %(saved)s (yours: %(mine)s)")
                % {"name": name, "saved": value, "mine": "—" if mine in (None, "") else mine}
            )
    assert report.submitted_at is not None  # noqa: S101 - a stale form means someone submitted
    return _(
        "Not saved: %(who)s filed version %(version)s of this report at %(time)s while you were editing: "
        "%(changes)s. Check the figures below against theirs and save again."
    ) % {
        "who": str(report.submitted_by) if report.submitted_by else "—",
        "version": report.version,
        "time": time_format(timezone.localtime(report.submitted_at), "H:i:s"),
        "changes": pgettext("list separator", "; ").join(changes)
        if changes
        else _("their figures are the same as yours"),
    }


def _alert_positives(report: DailyReport, positives: int, now: datetime.datetime) -> None:
    """A positive result is news for the command office at once, not at the next roll-up."""
    office = User.objects.filter(
        is_active=True, role=Role.COMMAND_OFFICE, region__code__in=report.region.ancestor_codes()
    ).values_list("id", flat=True)
    text = _("%(unit)s reports %(n)s positive nucleic-acid results in its daily report of %(day)s.") % {
        "unit": report.region.name,
        "n": positives,
        "day": day_label(report.day),
    }
    notify(office, text, reverse("reporting:detail", args=[report.uuid]), now)


def _tell_settled(report: DailyReport, settled: AccountabilityRecord, now: datetime.datetime) -> None:
    """Correct the sweep's notice: the unit and its superior were told the unit had not filed."""
    values = {
        "unit": report.region.name,
        "day": day_label(report.day),
        "time": time_format(timezone.localtime(now), "H:i:s"),
    }
    if settled.state == AccountabilityState.WITHDRAWN:
        text = (
            _(
                "Correction: %(unit)s filed its daily report of %(day)s on time (received %(time)s). "
                "Disregard the notice that it was late."
            )
            % values
        )
    else:
        text = (
            _(
                "Correction: %(unit)s filed its daily report of %(day)s late (received %(time)s), before the day "
                "ended: it is late, not missing."
            )
            % values
        )
    users = user_ids_with(Perm.REPORT_FILE, [report.region_id])
    if report.region.parent_id is not None:
        users += user_ids_with(Perm.REPORT_REVIEW, [report.region.parent_id])
    notify(users, text, reverse("reporting:detail", args=[report.uuid]), now)


def can_review(actor: User, report: DailyReport) -> bool:
    """A superior reviews: the report's unit lies strictly inside the reviewer's jurisdiction."""
    region = actor.region
    return (
        region is not None
        and actor.has_role_perm(Perm.REPORT_REVIEW)
        and region.contains(report.region)
        and region.pk != report.region_id
    )


@transaction.atomic
def do_review_report(
    actor: User, report: DailyReport, *, approve: bool, comment: str, now: datetime.datetime
) -> DailyReport:
    """Approve a submitted report, or return it with a comment for correction."""
    if not can_review(actor, report):
        raise ValidationError({"report": _("Only a superior unit reviews this report.")})
    if report.state != ReportState.SUBMITTED:
        raise ValidationError({"report": _("Only a submitted report awaiting review can be reviewed.")})
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Say what must be corrected.")})
    old_state = report.state
    report.state = ReportState.APPROVED if approve else ReportState.RETURNED
    report.reviewed_by, report.reviewed_at, report.review_comment = actor, now, comment
    report.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_comment"])
    record(
        actor,
        AuditAction.UPDATE,
        obj=report,
        changes={"state": [old_state, report.state]},
        note=comment,
        now=now,
    )
    if not approve and report.submitted_by_id:
        notify(
            [report.submitted_by_id],
            _("Your report of %(day)s was returned: %(comment)s")
            % {"day": day_label(report.day), "comment": comment},
            reverse("reporting:detail", args=[report.uuid]),
            now,
        )
    return report
