"""Browsing the audit log (read-only: there is no page or API that edits or deletes it)."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from fangkong.accounts.access import require
from fangkong.accounts.permissions import Perm
from fangkong.audit.access import audit_events_for
from fangkong.audit.models import AuditAction
from fangkong.lib.dates import parse_day
from fangkong.lib.reporting_day import SHANGHAI


@require_GET
@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.AUDIT_VIEW)
    qs = audit_events_for(request.user)
    f = {k: request.GET.get(k, "").strip() for k in ("actor", "action", "object", "since", "until")}
    if f["actor"]:
        qs = qs.filter(actor_name__icontains=f["actor"])
    if f["action"] in AuditAction.values:
        qs = qs.filter(action=f["action"])
    if f["object"]:
        qs = qs.filter(object_label__icontains=f["object"])
    if since := parse_day(f["since"]):
        qs = qs.filter(at__gte=datetime.datetime.combine(since, datetime.time(), tzinfo=SHANGHAI))
    if until := parse_day(f["until"]):
        qs = qs.filter(
            at__lt=datetime.datetime.combine(
                until + datetime.timedelta(days=1), datetime.time(), tzinfo=SHANGHAI
            )
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    base = urlencode({k: v for k, v in f.items() if v})
    return render(
        request,
        "audit/list.html",
        {
            "page_obj": page,
            "filters": f,
            "actions": AuditAction.choices,
            "querystring_base": base + "&" if base else "",
        },
    )
