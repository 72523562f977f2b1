"""SMS pages: campaigns with progress and failures; the gateways' delivery-receipt callback."""

from __future__ import annotations

import hmac
import json
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from fangkong.accounts.access import require
from fangkong.accounts.permissions import Perm
from fangkong.lib.web import public
from fangkong.notify.access import access_campaign, campaigns_for
from fangkong.notify.actions import do_record_receipts
from fangkong.notify.models import MessageStatus

MAX_RECEIPT_BYTES = 1 << 20


@require_GET
@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.SMS_SEND)
    rows = list(campaigns_for(request.user).annotate(total=Count("messages"))[:100])
    return render(request, "notify/campaigns.html", {"campaigns": rows})


@require_GET
@login_required
def campaign_detail(request: HttpRequest, campaign_uuid: uuid.UUID) -> HttpResponse:
    """Progress (queued / sent / delivered / failed) and the failures, to call by hand; numbers masked."""
    campaign = access_campaign(request.user, campaign_uuid)
    counts = dict(campaign.messages.values_list("status").annotate(n=Count("id")))
    total = sum(counts.values())
    done = (
        counts.get(MessageStatus.DELIVERED, 0)
        + counts.get(MessageStatus.FAILED, 0)
        + counts.get(MessageStatus.SENT, 0)
    )
    rows = campaign.messages.select_related("person", "person__region", "user", "user__region").order_by(
        "status", "id"
    )
    return render(
        request,
        "notify/campaign_detail.html",
        {
            "campaign": campaign,
            "counts": [(s, s.label, counts.get(s.value, 0)) for s in MessageStatus],
            "total": total,
            "percent": done * 100 // total if total else 100,
            "failures": rows.filter(status=MessageStatus.FAILED)[:500],
            "message_rows": rows[:500],
            "sample": campaign.template.render(campaign.params),
        },
    )


def _authenticated(request: HttpRequest) -> bool:
    secret = settings.SMS_RECEIPT_SECRET
    given = request.headers.get("X-Fangkong-Secret", "") or request.GET.get("secret", "")
    return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())


@public
@csrf_exempt
@require_POST
def receipts(request: HttpRequest, provider: str) -> HttpResponse:
    """Delivery receipts pushed by a gateway: a JSON array (Alibaba `SmsReport`, Tencent status callback),
    authenticated by the shared secret (header `X-Fangkong-Secret` or `?secret=` in the URL configured at
    the gateway). Answers `{"code": 0}` so the gateway stops retrying."""
    if provider not in ("aliyun", "tencent", "file") or not _authenticated(request):
        return JsonResponse({"code": 1, "msg": "forbidden"}, status=403)
    if len(request.body) > MAX_RECEIPT_BYTES:
        return JsonResponse({"code": 1, "msg": "too large"}, status=413)
    try:
        payload = json.loads(request.body or b"[]")
    except ValueError:
        return JsonResponse({"code": 1, "msg": "bad json"}, status=400)
    items = payload if isinstance(payload, list) else [payload]
    do_record_receipts(items, now=timezone.now())
    if provider == "tencent":
        return JsonResponse({"result": 0, "errmsg": "OK"})
    return JsonResponse({"code": 0, "msg": "成功"})
