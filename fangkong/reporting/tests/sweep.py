"""Records in both townships for the jurisdiction sweep (fangkong/tests/test_jurisdiction_sweep.py): a filed
report, an accountability record, an urgent report with an attachment and notifications."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.lib.reporting_day import SHANGHAI, local_date
from fangkong.reporting.actions import do_deadline_sweep, do_file_report, do_send_urgent
from fangkong.reporting.models import ReportForm, UrgentKind


def populate(district: Any) -> None:
    now = timezone.now()
    yesterday = local_date(now) - datetime.timedelta(days=1)
    form = ReportForm.current()
    assert form is not None
    values = {i.code: 1 for i in form.active_indicators()} | {"nat_samples": 2, "nat_positive": 0}
    for cadre, township, village in [
        ("wangzhu", district.township_a, district.village_a),
        ("xinxi", district.township_b, district.village_b),
    ]:
        user = User.objects.get(username=cadre)
        # The township files late (an accountability record opens); its village never files.
        do_file_report(
            user,
            township,
            yesterday,
            values,
            now=datetime.datetime.combine(yesterday, datetime.time(15, 0), tzinfo=SHANGHAI),
        )
        upload = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff\xe0jpeg", content_type="image/jpeg")
        do_send_urgent(
            user, village, UrgentKind.ABNORMAL, f"{township.name}异常情况", now=now, files=[upload]
        )
    do_deadline_sweep(now)
