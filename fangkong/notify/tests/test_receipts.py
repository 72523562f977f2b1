"""Delivery receipts: authenticated by the shared secret; update sent → delivered / failed; answer {"code": 0}."""

from __future__ import annotations

import json

from fangkong.notify.actions import do_create_campaign, do_send_campaign
from fangkong.notify.models import Message, MessageStatus

from .conftest import NOW

URL = "/notify/receipts/aliyun"


def _sent(cadre_a, district, template, residents):
    campaign = do_create_campaign(
        cadre_a,
        region=district.township_a,
        kind="other",
        title="x",
        template=template,
        people=residents,
        params={"round": "r"},
        now=NOW,
    )
    do_send_campaign(campaign, now=NOW)
    return list(Message.objects.order_by("id"))


def test_receipts_mark_messages_delivered_or_failed(client, cadre_a, district, template, residents):
    m1, m2, _m3 = _sent(cadre_a, district, template, residents)
    body = [
        {
            "phone_number": "13800000000",
            "success": True,
            "err_code": "DELIVERED",
            "biz_id": m1.provider_id,
            "out_id": str(m1.uuid),
        },
        {
            "phone_number": "13800000001",
            "success": False,
            "err_code": "MK:0001",
            "biz_id": m2.provider_id,
            "out_id": "",
        },
    ]
    response = client.post(
        URL,
        data=json.dumps(body),
        content_type="application/json",
        headers={"X-Fangkong-Secret": "test-receipt-secret"},
    )
    assert response.status_code == 200 and response.json()["code"] == 0
    m1.refresh_from_db()
    m2.refresh_from_db()
    assert m1.status == MessageStatus.DELIVERED and m1.delivered_at is not None
    assert m2.status == MessageStatus.FAILED and "MK:0001" in m2.error


def test_a_receipt_without_the_secret_changes_nothing(client, cadre_a, district, template, residents):
    m1, *_ = _sent(cadre_a, district, template, residents)
    body = json.dumps([{"success": True, "out_id": str(m1.uuid)}])
    assert client.post(URL, data=body, content_type="application/json").status_code == 403
    assert client.post(URL + "?secret=wrong", data=body, content_type="application/json").status_code == 403
    m1.refresh_from_db()
    assert m1.status == MessageStatus.SENT
    assert client.get(URL).status_code == 405
    ok = client.post(URL + "?secret=test-receipt-secret", data="not json", content_type="application/json")
    assert ok.status_code == 400
