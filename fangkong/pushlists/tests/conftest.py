"""Helpers for push-list tests: write real CSV/XLSX files and import them through the real action."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.utils.translation import override

from fangkong.accounts.models import User
from fangkong.lib.idnumbers import make
from fangkong.pushlists.actions import do_import_push_list
from fangkong.pushlists.models import PushBatch, PushItem

NOW = datetime.datetime(2021, 8, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
HEADER = ["姓名", "身份证号", "手机号", "来源地", "到达时间", "所属乡镇", "地址"]


def id_number(sequence: int, birth: datetime.date = datetime.date(1990, 1, 1)) -> str:
    return make("410928", birth, sequence)


def write_csv(
    path: Path, rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER, encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path, rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER, title: str | None = None
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def sample_rows() -> list[list[Any]]:
    return [
        ["张三", id_number(1), "13912345678", "南京", "2021-08-01 10:00", "王助镇", ""],
        ["李四", id_number(2), "13912345679", "郑州", "2021/8/2", "新习", ""],
        ["王五", id_number(3), "", "扬州", "", "", "王助镇王助村3号"],
        ["赵六", id_number(4), "13912345670", "南京", "2021-08-01", "", ""],
    ]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Counts per unit are kept in the cache; each test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages stored at import time (error reasons) are compared in English."""
    with override("en"):
        yield


@pytest.fixture
def import_file(command_user: User) -> Callable[..., PushBatch]:
    def run(
        path: Path, actor: User | None = command_user, now: datetime.datetime = NOW, **kwargs: Any
    ) -> PushBatch:
        return do_import_push_list(actor, path, path.name, now, kwargs.pop("deadline_hours", 24), **kwargs)

    return run


@pytest.fixture
def batch(import_file: Callable[..., PushBatch], tmp_path: Path) -> PushBatch:
    """Four items: 张三 and 王五 held by township A, 李四 by township B, 赵六 in the county queue."""
    return import_file(write_csv(tmp_path / "list.csv", sample_rows()))


def item(batch: PushBatch, name: str) -> PushItem:
    return PushItem.objects.select_related("region", "person").get(batch=batch, name=name)


@pytest.fixture
def measure() -> str:
    from fangkong.screening.measures import measure_choices

    choices = measure_choices()
    assert choices, "the screening app seeds control measures"
    return choices[0][0]
