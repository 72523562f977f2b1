"""One real generation: reports filed through the reporting app, its summary, real charts, DOCX and PDF,
stored and downloaded."""

from __future__ import annotations

import io
import time
from typing import Any

import docx
import time_machine

from fangkong.briefing.models import BriefingVersion
from fangkong.briefing.tests.conftest import DAY, at, pdf_characters
from fangkong.reporting.actions import do_file_report, do_send_urgent
from fangkong.reporting.models import ReportForm, UrgentKind


def _file_reports(district: Any, cadre_a: Any) -> None:
    form = ReportForm.current()
    assert form is not None  # seeded by the reporting app's data migration
    values = {i.code: 3 for i in form.active_indicators()} | {"nat_positive": 0}  # 3 samples, 3 negatives
    do_file_report(cadre_a, district.township_a, DAY, values, now=at(DAY, 11))
    do_send_urgent(
        cadre_a,
        district.township_a,
        UrgentKind.SUSPECTED_CASE,
        "王助村发现一名发热病人。",
        now=at(DAY, 9, 30),
    )


def test_a_real_briefing_is_generated_and_downloaded(
    district: Any, cadre_a: Any, command_user: Any, client_for: Any
) -> None:
    _file_reports(district, cadre_a)
    client = client_for(command_user)
    with time_machine.travel(at(DAY, 17, 30), tick=True):
        client.post("/briefings/day/2021-08-05/next-steps/", {"next_steps": "一、继续做好返乡人员排查。"})
        started = time.perf_counter()
        assert client.post("/briefings/day/2021-08-05/generate/").status_code == 302
        elapsed = time.perf_counter() - started
        version = BriefingVersion.objects.get()
        assert elapsed < 30  # about 1–2 s on a quiet machine; generous for shared CI runners

        document = docx.Document(io.BytesIO(client.get(f"/briefings/versions/{version.uuid}.docx").content))
        pdf = client.get(f"/briefings/versions/{version.uuid}.pdf").content

    text = "\n".join(p.text for p in document.paragraphs)
    assert "（2021年第1期）" in text
    assert "一、继续做好返乡人员排查。" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "王助镇" in cells and "新习镇" in cells
    assert "王助村发现一名发热病人。" in cells
    assert len(document.inline_shapes) == 2

    assert pdf.startswith(b"%PDF")
    assert set("疫情防控工作日报继续做好返乡人员排查王助镇") <= pdf_characters(pdf)
