"""Form maintenance: the command office adds and retires indicators of the report form."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.accounts.models import User
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.reporting import sources
from fangkong.reporting.models import Indicator, IndicatorKind, IndicatorUnit, ReportForm

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


@transaction.atomic
def do_add_indicator(
    actor: User,
    form: ReportForm,
    *,
    code: str,
    name_zh: str,
    name_en: str,
    kind: str,
    unit: str,
    source: str = "",
    now: datetime.datetime,
) -> Indicator:
    code = code.strip().lower()
    errors = {}
    if not CODE_RE.match(code):
        errors["code"] = _("A code is a lower-case letter, then letters, digits or _ (2–40).")
    elif form.indicators.filter(code=code).exists():
        errors["code"] = _("This form already has an indicator with this code.")
    if not name_zh.strip():
        errors["name_zh"] = _("Enter the Chinese name.")
    if kind not in IndicatorKind.values:
        errors["kind"] = _("Choose a kind.")
    if unit not in IndicatorUnit.values:
        errors["unit"] = _("Choose a unit.")
    if source and source not in sources.registered():
        errors["source"] = _("Unknown data source.")
    if errors:
        raise ValidationError(errors)
    last = form.indicators.order_by("-order").values_list("order", flat=True).first() or 0
    indicator = Indicator.objects.create(
        form=form,
        code=code,
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        kind=kind,
        unit=unit,
        source=source,
        order=last + 10,
    )
    record(actor, AuditAction.CREATE, obj=indicator, changes={"code": [None, code]}, now=now)
    return indicator


@transaction.atomic
def do_retire_indicator(actor: User, indicator: Indicator, *, now: datetime.datetime) -> Indicator:
    if not indicator.is_active:
        raise ValidationError({"indicator": _("This indicator is already retired.")})
    indicator.is_active, indicator.retired_at = False, now
    indicator.save(update_fields=["is_active", "retired_at"])
    record(actor, AuditAction.DEACTIVATE, obj=indicator, now=now)
    return indicator
