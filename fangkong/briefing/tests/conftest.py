"""Briefing test helpers: a realistic `DaySummary` built directly, and fast stand-in renderers."""

from __future__ import annotations

import datetime
import re
import zlib
from collections.abc import Callable
from typing import Any

import pytest

from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.briefing import actions, render
from fangkong.lib.reporting_day import SHANGHAI
from fangkong.reporting.summary import DaySummary, UnitStatus, UrgentItem

DAY = datetime.date(2021, 8, 5)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware Beijing instant on `day`."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def make_summary(day: datetime.date = DAY, **overrides: Any) -> DaySummary:
    """Two townships, three indicators, one late and one missing unit, one urgent report."""
    values: dict[str, Any] = {
        "day": day,
        "indicators": [("returnees", "返乡人员"), ("home_obs", "居家观察"), ("tested", "核酸检测人数")],
        "totals": {"returnees": 17, "home_obs": 9, "tested": 1532},
        "per_township": [
            ("王助镇", {"returnees": 12, "home_obs": 5, "tested": 1032}),
            ("新习镇", {"returnees": 5, "home_obs": 4, "tested": 500}),
        ],
        "timeliness": {
            "expected": 10,
            "received": 9,
            "on_time": 6,
            "zero": 2,
            "late": 1,
            "not_filed": 1,
            "pending": 0,
            "overdue": 0,
            "missing": 1,
        },
        "late_or_missing": [
            UnitStatus("410972101201", "新习村", "late", "迟报", at(day, 13, 5)),
            UnitStatus("410972100201", "王助村", "missing", "未报", None),
        ],
        "urgent": [
            UrgentItem(
                at(day, 9, 30),
                "王助镇",
                "发现发热病人",
                "王助村发现一名发热病人，已送定点医院。",
                at(day, 9, 45),
            ),
        ],
        "accountability_open": 2,
    }
    values.update(overrides)
    return DaySummary(**values)


@pytest.fixture
def summary() -> DaySummary:
    return make_summary()


@pytest.fixture
def fake_source(monkeypatch: pytest.MonkeyPatch) -> Callable[..., DaySummary]:
    """Generation reads `make_summary(day)` instead of the reporting app's figures."""

    def load(day: datetime.date, *, now: datetime.datetime | None = None) -> DaySummary:
        return make_summary(day)

    monkeypatch.setattr(actions, "day_summary", load)
    return load


@pytest.fixture
def fast_render(monkeypatch: pytest.MonkeyPatch, fake_source: Any) -> list[tuple[int, str]]:
    """Stand-in renderers (real ones take a second): they record (issue_no, next_steps) per call."""
    calls: list[tuple[int, str]] = []

    def charts(summary: DaySummary) -> render.ChartImages:
        return render.ChartImages(b"\x89PNG-t", b"\x89PNG-l")

    def docx(summary: DaySummary, issue_no: int, next_steps: str, *, images: Any = None) -> bytes:
        calls.append((issue_no, next_steps))
        return f"DOCX {summary.day} {issue_no}".encode()

    def pdf(summary: DaySummary, issue_no: int, next_steps: str, *, images: Any = None) -> bytes:
        return f"%PDF {summary.day} {issue_no}".encode()

    monkeypatch.setattr(actions, "make_charts", charts)
    monkeypatch.setattr(actions, "build_docx", docx)
    monkeypatch.setattr(actions, "build_pdf", pdf)
    return calls


@pytest.fixture
def leader(district: Any) -> User:
    """A county leader: reads briefings (BRIEFING_VIEW) but may not generate or edit them."""
    user = User(username="lingdao", full_name="领导", role=Role.LEADER, region=district.county)
    user.set_password("pw-lingdao")
    user.save()
    return user


def pdf_streams(pdf: bytes) -> list[bytes]:
    """Every stream of a PDF, inflated when it is Flate-compressed (WeasyPrint compresses them all)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            out.append(match.group(1))
    return out


def pdf_characters(pdf: bytes) -> set[str]:
    """The characters whose glyphs the PDF's embedded fonts map back to Unicode (ToUnicode CMaps)."""
    chars: set[str] = set()
    for stream in pdf_streams(pdf):
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for _cid, uni in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                chars.add(bytes.fromhex(uni.decode()).decode("utf-16-be", errors="ignore"))
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
            for lo, hi, start in re.findall(
                rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
            ):
                first = int(start, 16)
                chars.update(chr(first + i) for i in range(int(hi, 16) - int(lo, 16) + 1))
    return chars
