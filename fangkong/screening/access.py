"""Reading screening records: always through these helpers, scoped to the user's jurisdiction (else 404).

Returnee reports are owned by the destination village or grid. A grid worker's jurisdiction is one grid,
while self-reports land on the village, so a report is also visible to the user whose jurisdiction holds
the person, and to the grid worker it is assigned to. Campaigns cover a village; the grid workers of its
grids take part in them.
"""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from fangkong.accounts.access import AnyUser, has_perm, jurisdiction, require, within
from fangkong.accounts.permissions import Perm
from fangkong.regions.models import Level, Region, path_prefix
from fangkong.regions.queries import holds_everything
from fangkong.screening.models import (
    ClassificationRule,
    ControlMeasure,
    ReturneeReport,
    ReturneeReportQuerySet,
    RiskArea,
    ScreeningCampaign,
)


def reports_for(user: AnyUser, perm: Perm = Perm.SCREENING_VIEW) -> ReturneeReportQuerySet:
    qs = ReturneeReport.objects.select_related(
        "person", "person__region", "region", "region__parent", "proposed_measure", "assigned_to"
    )
    root = jurisdiction(user)
    if root is None or not has_perm(user, perm):
        return qs.none()
    if holds_everything(root):
        return qs
    # One table: the report carries both paths (see ReturneeReport.region_path), so each side of the OR has
    # its own index.
    inside = path_prefix("region_path", root.path) | path_prefix("home_path", root.path)
    if root.level == Level.GRID and root.parent is not None:
        # Self-reports land on the village, above the grid: the grid worker assigned to them sees them, but
        # only while working in that village (a worker moved elsewhere loses them).
        inside |= Q(assigned_to_id=user.pk) & path_prefix("region_path", root.parent.path)
    return qs.filter(inside)


def access_report(
    user: AnyUser, report_uuid: uuid.UUID | str, perm: Perm = Perm.SCREENING_VIEW
) -> ReturneeReport:
    try:
        return reports_for(user, perm).get(uuid=report_uuid)
    except (ReturneeReport.DoesNotExist, ValueError):
        raise Http404 from None


def campaigns_for(user: AnyUser, perm: Perm = Perm.SCREENING_VIEW) -> QuerySet[ScreeningCampaign]:
    qs = ScreeningCampaign.objects.select_related("region", "region__parent")
    root = jurisdiction(user)
    if root is None or not has_perm(user, perm):
        return qs.none()
    inside = within(root)
    if root.level == Level.GRID and root.parent_id is not None:
        inside |= Q(region_id=root.parent_id)
    return qs.filter(inside)


def access_campaign(
    user: AnyUser, campaign_uuid: uuid.UUID | str, perm: Perm = Perm.SCREENING_VIEW
) -> ScreeningCampaign:
    try:
        return campaigns_for(user, perm).get(uuid=campaign_uuid)
    except (ScreeningCampaign.DoesNotExist, ValueError):
        raise Http404 from None


def villages_for(user: AnyUser, perm: Perm = Perm.SCREENING_VIEW) -> QuerySet[Region]:
    """Villages the user works in: inside the jurisdiction, or the village of a grid worker's grid."""
    root = jurisdiction(user)
    if root is None or not has_perm(user, perm):
        return Region.objects.none()
    qs = Region.objects.active().with_ancestors().filter(level=Level.VILLAGE).select_related("parent")
    if root.level == Level.GRID:
        return qs.filter(children=root)
    return qs.within(root)


def public_village(code: str) -> Region:
    """The village of a self-report link; 404 for anything that is not an active village."""
    region = Region.objects.active().filter(code=code, level=Level.VILLAGE).first()
    if region is None:
        raise Http404
    return region


# Risk areas, measures and rules are district-wide reference data, not region-owned records: anyone with the
# permission sees all of them.


def access_risk_area(
    user: AnyUser, area_uuid: uuid.UUID | str, perm: Perm = Perm.SCREENING_RULES
) -> RiskArea:
    require(user, perm)
    try:
        return RiskArea.objects.get(uuid=area_uuid)
    except (RiskArea.DoesNotExist, ValueError):
        raise Http404 from None


def access_rule(
    user: AnyUser, rule_uuid: uuid.UUID | str, perm: Perm = Perm.SCREENING_RULES
) -> ClassificationRule:
    require(user, perm)
    try:
        return ClassificationRule.objects.select_related("measure").get(uuid=rule_uuid)
    except (ClassificationRule.DoesNotExist, ValueError):
        raise Http404 from None


def access_measure(user: AnyUser, code: str, perm: Perm = Perm.SCREENING_RULES) -> ControlMeasure:
    require(user, perm)
    try:
        return ControlMeasure.objects.get(code=code)
    except ControlMeasure.DoesNotExist:
        raise Http404 from None
