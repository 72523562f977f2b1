"""The push-list feedback file downloaded by a user carries that user and the Beijing time of the download
(issue 16: exported files carry who exported them and when)."""

from __future__ import annotations

import datetime
import io
from zoneinfo import ZoneInfo

import openpyxl
import time_machine

from fangkong.pushlists.tests.conftest import write_csv


def test_the_push_feedback_download_carries_the_downloader(
    district, import_file, tmp_path, command_user, client_for
):
    batch = import_file(write_csv(tmp_path / "list.csv", [["甲", "", "13912345678", "", "", "王助镇", ""]]))
    when = datetime.datetime(2021, 8, 3, 14, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(when, tick=False):
        response = client_for(command_user).get(
            f"/push-lists/batches/{batch.uuid}/feedback.xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [list(r) for r in book.worksheets[-1].iter_rows(values_only=True)]
    assert rows[0][1].endswith(f"({command_user.username})") and rows[1][1] == "2021-08-03 14:05"
