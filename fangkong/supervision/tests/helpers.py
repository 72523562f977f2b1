"""Helpers for the supervision tests: an inspector, photos made by Pillow, items opened through the actions."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_user
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.lib.reporting_day import SHANGHAI
from fangkong.regions.models import Region
from fangkong.supervision.actions import do_open_item
from fangkong.supervision.models import RectificationItem


def bj(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def make_inspector(region: Region, username: str = "ducha") -> User:
    return make_user(username, Role.INSPECTOR, region)


def png_bytes(size: tuple[int, int] = (40, 30), fmt: str = "PNG", exif: bytes | None = None) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    img = Image.new("RGB", size, (200, 30, 30))
    kwargs = {"exif": exif} if exif is not None else {}
    img.save(out, format=fmt, **kwargs)
    return out.getvalue()


def photo(
    name: str = "fix.png", content: bytes | None = None, content_type: str = "image/png"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content if content is not None else png_bytes(), content_type=content_type
    )


def open_item(
    actor: User,
    region: Region,
    *,
    kind: str = "deadline",
    due_on: datetime.date | None = None,
    now: datetime.datetime,
    description: str = "值守人员未逐人查验三码",
) -> RectificationItem:
    if kind == "deadline" and due_on is None:
        due_on = now.astimezone(SHANGHAI).date() + datetime.timedelta(days=3)
    return do_open_item(
        actor,
        region=region,
        kind=kind,
        description=description,
        due_on=due_on,
        place_kind="checkpoint",
        place_name="王助镇东卡口",
        now=now,
    )
