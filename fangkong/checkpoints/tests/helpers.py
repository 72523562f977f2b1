"""Helpers for checkpoint tests: records made through the real actions."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from conftest import make_user
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.checkpoints.actions import (
    CrossingInput,
    TravellerInput,
    do_create_checkpoint,
    do_register_crossing,
)
from fangkong.checkpoints.models import Checkpoint, CheckpointKind, Crossing
from fangkong.regions.models import Region

EQUIPMENT = ["标示牌", "登记本", "值班表", "测温仪", "消毒用品"]


def ensure_colours() -> None:
    from importlib import import_module

    from django.apps import apps

    import_module("fangkong.checkpoints.migrations.0002_code_colours_and_report_sources").seed(apps, None)


def create_checkpoint(
    manager: User, region: Region, *, name: str = "王助卡口", staff: list[User] | None = None, **kw: Any
) -> Checkpoint:
    ensure_colours()
    return do_create_checkpoint(
        manager,
        name=name,
        kind=kw.pop("kind", CheckpointKind.TOWNSHIP_BORDER),
        region=region,
        supervising_unit=kw.pop("supervising_unit", region),
        equipment=kw.pop("equipment", EQUIPMENT),
        staff=staff or [],
        now=kw.pop("now", timezone.now()),
        **kw,
    )


def staff_user(username: str, region: Region) -> User:
    return make_user(username, Role.CHECKPOINT_STAFF, region)


def traveller(**overrides: Any) -> TravellerInput:
    values: dict[str, Any] = {
        "name": "张三",
        "document_number": "",
        "phone": "13900000000",
        "health_code": "green",
        "temperature": "36.5",
        "disposition": "pass",
    }
    values.update(overrides)
    return TravellerInput(**values)


def register(actor: User, checkpoint: Checkpoint, *travellers: TravellerInput, **overrides: Any) -> Crossing:
    kind = overrides.pop("kind", "vehicle" if len(travellers) > 1 else "person")
    data = CrossingInput(
        kind=kind,
        origin=overrides.pop("origin", "河南省郑州市"),
        plate=overrides.pop("plate", "豫J12345" if kind == "vehicle" else ""),
        travellers=list(travellers) or [traveller()],
        **overrides,
    )
    return do_register_crossing(actor, checkpoint, data, now=overrides.get("now") or timezone.now())
