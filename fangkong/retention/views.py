"""数据留存 (/retention/): the policy with what is due now, the outbreaks, and the runs — for the command office of a
whole district only (removal is district-wide); anyone else gets 404."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fangkong.accounts.access import require
from fangkong.accounts.permissions import Perm
from fangkong.retention.actions import do_apply_retention, do_close_outbreak, do_declare_outbreak, preview
from fangkong.retention.forms import CloseOutbreakForm, DeclareOutbreakForm
from fangkong.retention.models import Outbreak, RetentionRun


def _require_district(request: HttpRequest) -> None:
    root = require(request.user, Perm.RETENTION_MANAGE)
    if root.parent_id is not None:
        raise Http404


def _page(request: HttpRequest, declare: DeclareOutbreakForm | None = None) -> HttpResponse:
    return render(
        request,
        "retention/index.html",
        {
            "lines": preview(timezone.now()),
            "outbreaks": Outbreak.objects.all()[:20],
            "runs": RetentionRun.objects.select_related("actor")[:20],
            "declare_form": declare or DeclareOutbreakForm(),
            "close_form": CloseOutbreakForm(),
        },
    )


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require_district(request)
    return _page(request)


@require_POST
@login_required
def run(request: HttpRequest) -> HttpResponse:
    _require_district(request)
    retention_run, _lines = do_apply_retention(request.user, timezone.now())
    messages.success(
        request, _("Retention run done: %(count)d records removed.") % {"count": retention_run.total}
    )
    return redirect("retention:index")


@require_POST
@login_required
def declare(request: HttpRequest) -> HttpResponse:
    _require_district(request)
    form = DeclareOutbreakForm(request.POST)
    if form.is_valid():
        try:
            do_declare_outbreak(
                request.user, form.cleaned_data["name"], form.cleaned_data["started_on"], timezone.now()
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Outbreak declared."))
            return redirect("retention:index")
    return _page(request, declare=form)


@require_POST
@login_required
def close(request: HttpRequest, outbreak_uuid: uuid.UUID) -> HttpResponse:
    _require_district(request)
    outbreak = get_object_or_404(Outbreak, uuid=outbreak_uuid)
    form = CloseOutbreakForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day the outbreak ended."))
        return redirect("retention:index")
    try:
        do_close_outbreak(request.user, outbreak, form.cleaned_data["ended_on"], timezone.now())
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Outbreak closed."))
    return redirect("retention:index")
