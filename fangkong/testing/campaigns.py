"""SMS campaigns the testing pages start, through notify's public API: remind a key group's members due
tomorrow, recall a positive pool's members. (The round's untested reminder is in `views.round_remind`.)

Each campaign is sent by notify's background job with its dedup and per-number daily cap; started twice
(two cadres, a double click) a campaign reaches each person once (`once=True` on the same `source_ref`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fangkong.accounts.access import jurisdiction
from fangkong.accounts.models import User
from fangkong.lib.reporting_day import local_date
from fangkong.notify import public as notify
from fangkong.people.models import Person
from fangkong.regions.models import Level, Region
from fangkong.testing.access import members_for, recalls_for
from fangkong.testing.models import KeyGroup

# The public health hotline a recall message gives when the sender has no phone of their own.
HOTLINE = "12320"


def _township_codes(people: list[Person]) -> dict[int, str]:
    """Each person's township code (for the link to its open testing points), in two queries."""
    regions = {r.pk: r for r in Region.objects.filter(pk__in={p.region_id for p in people})}
    codes = {code for r in regions.values() for code in r.ancestor_codes()}
    townships = set(
        Region.objects.filter(code__in=codes, level=Level.TOWNSHIP).values_list("code", flat=True)
    )
    out = {}
    for person in people:
        region = regions.get(person.region_id)
        found = [c for c in region.ancestor_codes() if c in townships] if region else []
        out[person.pk] = found[0] if found else ""
    return out


def do_remind_key_group_due(
    actor: User, group: KeyGroup, *, link: Callable[[str], str], now: datetime.datetime
) -> notify.Campaign:
    """常态化重点人群提醒: SMS the members of `group` in the actor's jurisdiction whose next test is due
    tomorrow (Beijing), with the link to their township's open points."""
    root = jurisdiction(actor)
    template = notify.template("key_group_due")
    if root is None or template is None:
        raise ValidationError({"group": _("SMS reminders are not available.")})
    tomorrow = local_date(now) + datetime.timedelta(days=1)
    members = list(
        members_for(actor)
        .filter(group=group, is_active=True, next_due_on=tomorrow)
        .select_related("person")
        .order_by("id")
    )
    people = [m.person for m in members if m.person.is_active]
    if not people:
        raise ValidationError({"group": _("Nobody in this group is due tomorrow.")})
    codes = _township_codes(people)
    return notify.do_create_campaign(
        actor,
        region=root,
        kind=notify.CampaignKind.KEY_GROUP_DUE,
        title=_("%(group)s: due on %(day)s") % {"group": group.name, "day": tomorrow.isoformat()},
        template=template,
        people=people,
        params={"group": group.name, "due": tomorrow.isoformat()},
        per_person={p.pk: {"name": p.name, "link": link(codes[p.pk]) if codes[p.pk] else ""} for p in people},
        source_ref=f"{group.uuid}:{tomorrow.isoformat()}",
        once=True,
        now=now,
    )


def do_recall_pool_by_sms(actor: User, pool_uuid: str, *, now: datetime.datetime) -> notify.Campaign:
    """混采复核通知: SMS the members of a positive or abnormal pool, in the actor's jurisdiction, who have not
    been re-sampled yet (from the recall board)."""
    root = jurisdiction(actor)
    template = notify.template("pool_recall")
    recalls = list(
        recalls_for(actor)
        .filter(pool__uuid=pool_uuid, resampled_at__isnull=True, person__isnull=False)  # not anonymised
        .order_by("id")
    )
    if root is None or template is None or not recalls:
        raise ValidationError({"pool": _("Nobody of this pool is waiting for a re-test.")})
    pool = recalls[0].pool
    people = [r.person for r in recalls if r.person is not None and r.person.is_active]  # for mypy: not None
    return notify.do_create_campaign(
        actor,
        region=root,
        kind=notify.CampaignKind.POOL_RECALL,
        title=_("Recall of pool %(barcode)s") % {"barcode": pool.barcode},
        template=template,
        people=people,
        params={"phone": actor.phone or HOTLINE},
        per_person={p.pk: {"name": p.name} for p in people},
        source_ref=f"recall:{pool.uuid}",
        once=True,
        now=now,
    )
