"""Control listens to screening and push lists (they never import control): a classification or a push-item
outcome "found and put under control" starts an order; a newly published risk area finds people again."""

from __future__ import annotations

import datetime
from typing import Any


def on_returnee_classified(
    sender: object,
    *,
    report_uuid: Any,
    person_id: int,
    measure_code: str,
    start_day: datetime.date,
    grid_worker_id: int | None,
    actor: Any,
    now: datetime.datetime,
    **kwargs: Any,
) -> None:
    from fangkong.control.actions import do_start_for_measure
    from fangkong.control.models import Reason

    do_start_for_measure(
        actor,
        person_id,
        measure_code=measure_code,
        reason=Reason.RETURNEE,
        start_day=start_day,
        source_ref=f"returnee:{report_uuid}",
        now=now,
        grid_worker_id=grid_worker_id,
    )


def on_item_verified(
    sender: object,
    *,
    item_uuid: Any,
    outcome: str,
    measure_code: str,
    person_id: int | None,
    grid_worker_id: int | None,
    arrived_on: datetime.date | None,
    actor: Any,
    now: datetime.datetime,
    **kwargs: Any,
) -> None:
    from fangkong.control.actions import do_start_for_measure
    from fangkong.control.models import Reason
    from fangkong.lib.reporting_day import local_date

    if outcome != "new_found" or person_id is None or not measure_code:
        return
    do_start_for_measure(
        actor,
        person_id,
        measure_code=measure_code,
        reason=Reason.PUSH_LIST,
        start_day=arrived_on or local_date(now),
        source_ref=f"push:{item_uuid}",
        now=now,
        grid_worker_id=grid_worker_id,
    )


def on_risk_areas_published(
    sender: object, *, area_ids: list[int], actor: Any, now: datetime.datetime, **kwargs: Any
) -> None:
    from fangkong.control.actions import do_find_again

    do_find_again(actor, area_ids, now)


def on_test_results(sender: object, *, results: list[Any], **kwargs: Any) -> None:
    """testing.signals.results_recorded (sent after the testing transaction commits): the results land on the
    due tests of each person's active order, so a release needs no typing of what the lab already said."""
    from django.utils import timezone

    from fangkong.control.actions import do_record_test_results

    do_record_test_results(results, timezone.now())


def on_pools_positive(
    sender: object, *, pools: dict[Any, list[int]], now: datetime.datetime, **kwargs: Any
) -> None:
    """testing.signals.pools_positive: every member of every positive pool of an import is put under control at
    once, in one transaction (`do_start_orders_for_pools`), not one order start per member."""
    from fangkong.control.actions import do_start_orders_for_pools

    do_start_orders_for_pools({f"pool:{pool_uuid}": ids for pool_uuid, ids in pools.items()}, now=now)


def on_referrals_made(
    sender: object, *, referrals: list[Any], actor: Any, now: datetime.datetime, **kwargs: Any
) -> None:
    """checkpoints.signals.referrals_made (inside the crossing's transaction: a failure here rolls it back):
    each febrile traveller is found or registered by document number and gets an order with reason REFERRAL
    and a closed-loop transfer checkpoint → fever clinic, started when the referral was made."""
    from fangkong.control.actions import do_find_or_register_traveller, do_refer_to_fever_clinic
    from fangkong.control.models import PlaceType

    user = actor if getattr(actor, "is_authenticated", False) else None
    for referral in referrals:
        traveller, checkpoint = referral.traveller, referral.checkpoint
        # The traveller's destination when the checkpoint app records one as a unit, else the checkpoint's.
        region = getattr(traveller.crossing, "destination_region", None) or checkpoint.region
        person = do_find_or_register_traveller(
            user,
            name=traveller.name,
            document_number=traveller.document_number,
            phone=traveller.phone,
            region=region,
        )
        do_refer_to_fever_clinic(
            user,
            person,
            from_place=PlaceType.CHECKPOINT,
            to_name=referral.clinic,
            left_at=referral.referred_at or now,
            source_ref=f"referral:{referral.uuid}",
            now=now,
        )


# What clinics.models.FacilityKind / RecordKind call a fever clinic and a fever patient (control reads no
# clinics internals beyond the signal's record).
FEVER_CLINIC_KIND = "fever_clinic"
FEVER_PATIENT_KIND = "fever_patient"


def on_fever_patient_registered(
    sender: object, *, record: Any, actor: Any, now: datetime.datetime, **kwargs: Any
) -> None:
    """clinics.signals.fever_patient_registered: a fever patient seen at a village clinic or a pharmacy gets an
    order with reason REFERRAL and a proposed closed-loop transfer to a fever clinic; at a fever clinic the
    patient already is where the loop ends, so nothing more happens."""
    from fangkong.control.actions import do_refer_to_fever_clinic
    from fangkong.control.models import PlaceType

    if record.kind != FEVER_PATIENT_KIND or record.facility.kind == FEVER_CLINIC_KIND:
        return
    do_refer_to_fever_clinic(
        actor if getattr(actor, "is_authenticated", False) else None,
        record.person,
        from_place=PlaceType.CLINIC,
        to_name="",
        left_at=None,
        source_ref=f"clinic:{record.uuid}",
        now=now,
    )
