"""Supplies pages: a unit's warehouses and warnings (below threshold, expiring within 30 days), a warehouse's
stock by item and lot with its movements, and the forms that record in, out, transfer, count and threshold."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import IntegerField, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fangkong.accounts.access import acting_user, has_perm, regions_for, require, within
from fangkong.accounts.permissions import Perm
from fangkong.lib.reporting_day import local_date
from fangkong.lib.web import add_errors
from fangkong.regions.models import Level
from fangkong.supplies import levels
from fangkong.supplies.access import access_lot, access_warehouse, unit_for, warehouses_for
from fangkong.supplies.actions import (
    do_count,
    do_create_warehouse,
    do_issue,
    do_receive,
    do_set_threshold,
    do_transfer,
)
from fangkong.supplies.forms import (
    CountForm,
    IssueForm,
    ReceiveForm,
    ThresholdForm,
    TransferForm,
    WarehouseForm,
)
from fangkong.supplies.models import Lot, Movement, Warehouse


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """物资储备: the unit's warnings and its warehouses' stock."""
    root = require(request.user, Perm.SUPPLIES_VIEW)
    unit = unit_for(request.user, request.GET.get("region", "").strip())
    today = local_date(timezone.now())
    stocks = levels.stocks_with_levels(
        levels.in_region(unit).select_related("item", "warehouse__region"), today
    ).order_by("warehouse__name", "warehouse_id", "item__name")
    by_warehouse: dict[int, dict[str, Any]] = {}
    for stock in stocks:
        entry = by_warehouse.setdefault(stock.warehouse_id, {"warehouse": stock.warehouse, "stocks": []})
        entry["stocks"].append(stock)
    return render(
        request,
        "supplies/home.html",
        {
            "unit": unit,
            "breadcrumbs": [r for r in unit.ancestors() if root.contains(r) and r.pk != unit.pk],
            "warnings": levels.warnings_for(unit, today),
            "warehouses": list(by_warehouse.values()),
            "bare_warehouses": list(
                warehouses_for(request.user)
                .filter(within(unit))
                .exclude(pk__in=set(by_warehouse))
                .order_by("name")
            ),
            "can_manage": has_perm(request.user, Perm.SUPPLIES_MANAGE),
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def warehouse_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.SUPPLIES_MANAGE)
    units = regions_for(request.user, Perm.SUPPLIES_MANAGE).exclude(level=Level.GRID).order_by("path")
    form = WarehouseForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            w = do_create_warehouse(
                acting_user(request),
                form.cleaned_data["region"],
                name=form.cleaned_data["name"],
                address=form.cleaned_data["address"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("supplies:warehouse", warehouse_uuid=w.uuid)
    return render(request, "supplies/warehouse_form.html", {"form": form})


def _page(request: HttpRequest, warehouse: Warehouse, status: int = 200, **forms: Any) -> HttpResponse:
    today = local_date(timezone.now())
    stocks = list(
        levels.stocks_with_levels(warehouse.stocks.select_related("item"), today).order_by("item__name")
    )
    lots = (
        Lot.objects.filter(stock__warehouse=warehouse)
        .annotate(balance=Coalesce(Sum("movements__quantity"), Value(0), output_field=IntegerField()))
        .exclude(balance=0)
    )
    lots_by_stock: dict[int, list[Lot]] = {}
    for lot in lots:
        lot.soon = lot.expires_soon(today)  # type: ignore[attr-defined]
        lot.expired = lot.is_expired(today)  # type: ignore[attr-defined]
        lots_by_stock.setdefault(lot.stock_id, []).append(lot)
    for stock in stocks:
        stock.lot_list = lots_by_stock.get(stock.pk, [])  # type: ignore[attr-defined]
    movements = (
        Movement.objects.filter(stock__warehouse=warehouse)
        .select_related("stock__item", "lot", "actor")
        .order_by("-at", "-id")[:50]
    )
    can_manage = has_perm(request.user, Perm.SUPPLIES_MANAGE)
    targets = warehouses_for(request.user, Perm.SUPPLIES_MANAGE).exclude(pk=warehouse.pk)
    context = {
        "warehouse": warehouse,
        "stocks": stocks,
        "movements": movements,
        "can_manage": can_manage,
        "receive_form": forms.get("receive_form") or ReceiveForm(),
        "issue_form": forms.get("issue_form") or IssueForm(),
        "transfer_form": forms.get("transfer_form") or TransferForm(targets=targets),
        "threshold_form": forms.get("threshold_form") or ThresholdForm(),
        "count_error": forms.get("count_error"),
        "today": today,
    }
    return render(request, "supplies/warehouse.html", context, status=status)


@require_GET
@login_required
def warehouse(request: HttpRequest, warehouse_uuid: uuid.UUID) -> HttpResponse:
    return _page(request, access_warehouse(request.user, warehouse_uuid))


def _after(request: HttpRequest, w: Warehouse, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("supplies:warehouse", warehouse_uuid=w.uuid)


def _submit(
    request: HttpRequest,
    w: Warehouse,
    form: forms.Form,
    form_name: str,
    act: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """A warehouse form: a valid form runs `act` (one action, returning the message shown after it); a refused
    action's errors are put on the form, and the page is shown again with it (400)."""
    if form.is_valid():
        try:
            message = act(form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return _after(request, w, message)
    return _page(request, w, 400, **{form_name: form})


@require_POST
@login_required
def receive(request: HttpRequest, warehouse_uuid: uuid.UUID) -> HttpResponse:
    w = access_warehouse(request.user, warehouse_uuid, Perm.SUPPLIES_MANAGE)

    def act(d: dict[str, Any]) -> str:
        do_receive(
            acting_user(request),
            w,
            d["item"],
            quantity=d["quantity"],
            lot_number=d["lot_number"],
            expires_on=d["expires_on"],
            reason=d["reason"],
            now=timezone.now(),
        )
        return _("%(n)d %(unit)s of %(item)s received.") % {
            "n": d["quantity"],
            "unit": d["item"].unit_of_measure,
            "item": d["item"].name,
        }

    return _submit(request, w, ReceiveForm(request.POST), "receive_form", act)


@require_POST
@login_required
def issue(request: HttpRequest, warehouse_uuid: uuid.UUID) -> HttpResponse:
    w = access_warehouse(request.user, warehouse_uuid, Perm.SUPPLIES_MANAGE)

    def act(d: dict[str, Any]) -> str:
        do_issue(
            acting_user(request), w, d["item"], quantity=d["quantity"], reason=d["reason"], now=timezone.now()
        )
        return _("%(n)d %(unit)s of %(item)s issued.") % {
            "n": d["quantity"],
            "unit": d["item"].unit_of_measure,
            "item": d["item"].name,
        }

    return _submit(request, w, IssueForm(request.POST), "issue_form", act)


@require_POST
@login_required
def transfer(request: HttpRequest, warehouse_uuid: uuid.UUID) -> HttpResponse:
    w = access_warehouse(request.user, warehouse_uuid, Perm.SUPPLIES_MANAGE)
    targets = warehouses_for(request.user, Perm.SUPPLIES_MANAGE).exclude(pk=w.pk)

    def act(d: dict[str, Any]) -> str:
        do_transfer(
            acting_user(request),
            w,
            d["target"],
            d["item"],
            quantity=d["quantity"],
            reason=d["reason"],
            now=timezone.now(),
        )
        return _("%(n)d %(unit)s of %(item)s transferred to %(target)s.") % {
            "n": d["quantity"],
            "unit": d["item"].unit_of_measure,
            "item": d["item"].name,
            "target": d["target"].name,
        }

    return _submit(request, w, TransferForm(request.POST, targets=targets), "transfer_form", act)


@require_POST
@login_required
def threshold(request: HttpRequest, warehouse_uuid: uuid.UUID) -> HttpResponse:
    w = access_warehouse(request.user, warehouse_uuid, Perm.SUPPLIES_MANAGE)

    def act(d: dict[str, Any]) -> str:
        do_set_threshold(acting_user(request), w, d["item"], d["threshold"])
        return _("Reorder threshold of %(item)s saved.") % {"item": d["item"].name}

    return _submit(request, w, ThresholdForm(request.POST), "threshold_form", act)


@require_POST
@login_required
def count(request: HttpRequest, warehouse_uuid: uuid.UUID, lot_uuid: uuid.UUID) -> HttpResponse:
    w = access_warehouse(request.user, warehouse_uuid, Perm.SUPPLIES_MANAGE)
    lot = access_lot(request.user, w, lot_uuid, Perm.SUPPLIES_MANAGE)
    form = CountForm(request.POST)
    if form.is_valid():
        try:
            moved = do_count(
                acting_user(request),
                lot,
                counted=form.cleaned_data["counted"],
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if moved is None:
                return _after(request, w, _("The count matches the stock; nothing changed."))
            return _after(request, w, _("Stock adjusted by %(n)+d after the count.") % {"n": moved.quantity})
    errors = "；".join(str(e) for errs in form.errors.values() for e in errs)
    return _page(request, w, 400, count_error=(lot.pk, errors))
