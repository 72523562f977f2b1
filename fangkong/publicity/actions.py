"""Recording publicity tallies: validated, saved and audited in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.accounts.access import has_perm, in_jurisdiction
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.lib.dates import event_day_error
from fangkong.lib.reporting_day import local_date
from fangkong.publicity.models import PublicityKind, PublicityTally
from fangkong.regions.models import Region

MAX_COUNT = 100_000


@transaction.atomic
def do_record_tallies(
    actor: User, *, region: Region, day: datetime.date, counts: Mapping[str, int], now: datetime.datetime
) -> list[PublicityTally]:
    """Set the unit's counts of `day` for the kinds given (0 is a count); returns the rows that changed."""
    if not has_perm(actor, Perm.PUBLICITY_RECORD) or not in_jurisdiction(actor, region):
        raise ValidationError({"region": _("You cannot record publicity for this unit.")})
    today = local_date(now)
    if day > today:
        raise ValidationError({"day": _("Publicity is recorded for today or a past day.")})
    if error := event_day_error(day, today=today):
        raise ValidationError({"day": error})
    for kind, count in counts.items():
        if kind not in PublicityKind.values:
            raise ValidationError({"__all__": _("Unknown kind of publicity.")})
        if not 0 <= count <= MAX_COUNT:
            raise ValidationError({kind: _("Give a count between 0 and 100000.")})
    existing = {t.kind: t for t in PublicityTally.objects.select_for_update().filter(region=region, day=day)}
    changed = []
    for kind, count in counts.items():
        row = existing.get(kind)
        if row is not None and row.count == count:
            continue
        before = row.count if row is not None else None
        if row is None:
            row = PublicityTally.objects.create(
                region=region, day=day, kind=kind, count=count, recorded_by=actor, recorded_at=now
            )
        else:
            row.count, row.recorded_by, row.recorded_at = count, actor, now
            row.save()
        record(
            actor,
            AuditAction.CREATE if before is None else AuditAction.UPDATE,
            obj=row,
            changes={"count": [before, count]},
            now=now,
        )
        changed.append(row)
    return changed
