"""Every change of supplies: warehouses, thresholds and movements, each saved and audited in one transaction.

An out-movement (issue, transfer, a downward count) locks the stock row first (`select_for_update`), then sums
the movements of the lots it takes from: two draws at once wait for each other, and the second sees what the
first took, so stock never goes below zero. Without a lot named, a draw takes the lots that expire first
(FEFO), never an expired one.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from fangkong.accounts.models import User
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.lib.reporting_day import local_date
from fangkong.regions.models import Level, Region
from fangkong.supplies.models import Lot, Movement, MovementKind, Stock, SupplyItem, Warehouse

MAX_QUANTITY = 10_000_000


class InsufficientStock(ValidationError):
    """An out-movement would make stock negative; nothing was written."""


def check_quantity(quantity: int | None) -> int:
    if quantity is None or quantity <= 0 or quantity > MAX_QUANTITY:
        raise ValidationError(
            {"quantity": _("The quantity must be a whole number from 1 to %(n)d.") % {"n": MAX_QUANTITY}}
        )
    return quantity


def check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the movement.")})
    return reason[:200]


def lot_balances(stock: Stock, *, at: datetime.datetime | None = None) -> dict[int, int]:
    """{lot id: quantity} of a stock row: the sum of its movements (up to `at`)."""
    qs = Movement.objects.filter(stock=stock)
    if at is not None:
        qs = qs.filter(at__lte=at)
    return {row["lot_id"]: row["total"] or 0 for row in qs.values("lot_id").annotate(total=Sum("quantity"))}


@transaction.atomic
def do_create_warehouse(
    actor: User, region: Region, *, name: str, address: str, now: datetime.datetime
) -> Warehouse:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the warehouse a name.")})
    if region.level == Level.GRID:
        raise ValidationError({"region": _("A warehouse belongs to the district, a township or a village.")})
    warehouse = Warehouse.objects.create(
        region=region, name=name[:100], address=(address or "").strip()[:200], created_at=now
    )
    record(actor, AuditAction.CREATE, obj=warehouse, changes={"name": [None, warehouse.name]}, now=now)
    return warehouse


def stock_of(warehouse: Warehouse, item: SupplyItem) -> Stock:
    stock, _created = Stock.objects.get_or_create(warehouse=warehouse, item=item)
    return stock


@transaction.atomic
def do_set_threshold(actor: User, warehouse: Warehouse, item: SupplyItem, threshold: int | None) -> Stock:
    if threshold is None or threshold < 0 or threshold > MAX_QUANTITY:
        raise ValidationError(
            {"threshold": _("The threshold must be a whole number from 0 to %(n)d.") % {"n": MAX_QUANTITY}}
        )
    stock = Stock.objects.select_for_update().get(pk=stock_of(warehouse, item).pk)
    before = stock.reorder_threshold
    stock.reorder_threshold = threshold
    stock.save(update_fields=["reorder_threshold"])
    record(
        actor,
        AuditAction.UPDATE,
        obj=warehouse,
        label=f"{warehouse.name} · {item.name}",
        changes={"reorder_threshold": [before, threshold]},
    )
    return stock


def _lot(stock: Stock, number: str, expires_on: datetime.date | None) -> Lot:
    lot, _created = Lot.objects.get_or_create(
        stock=stock, number=(number or "").strip()[:50], expires_on=expires_on
    )
    return lot


def _audit(actor: User | None, movement: Movement, now: datetime.datetime) -> None:
    stock = movement.stock
    record(
        actor,
        AuditAction.CREATE,
        obj=movement,
        region=stock.warehouse.region,
        label=f"{stock.warehouse.name} · {stock.item.name}",
        changes={
            "kind": [None, movement.kind],
            "quantity": [None, movement.quantity],
            "lot": [None, movement.lot.number],
            "reason": [None, movement.reason],
        },
        now=now,
    )


@transaction.atomic
def do_receive(
    actor: User | None,
    warehouse: Warehouse,
    item: SupplyItem,
    *,
    quantity: int | None,
    lot_number: str,
    expires_on: datetime.date | None,
    reason: str,
    now: datetime.datetime,
) -> Movement:
    """入库: items received into a lot (created when new)."""
    quantity = check_quantity(quantity)
    reason = check_reason(reason)
    stock = Stock.objects.select_for_update().get(pk=stock_of(warehouse, item).pk)
    lot = _lot(stock, lot_number, expires_on)
    movement = Movement.objects.create(
        stock=stock, lot=lot, kind=MovementKind.IN, quantity=quantity, reason=reason, at=now, actor=actor
    )
    _audit(actor, movement, now)
    return movement


@dataclass
class Take:
    lot: Lot
    quantity: int


def _plan_draw(stock: Stock, quantity: int, lot: Lot | None, today: datetime.date) -> list[Take]:
    """Which lots an out-movement takes from; refuses (InsufficientStock) what would go below zero."""
    balances = lot_balances(stock)
    # Ordered: the first to expire first; an expired lot is not drawn unless named.
    lots = [lot] if lot is not None else [x for x in stock.lots.all() if not x.is_expired(today)]
    available = sum(max(balances.get(x.pk, 0), 0) for x in lots)
    if available < quantity:
        raise InsufficientStock(
            {
                "quantity": _(
                    "Only %(available)d %(unit)s of %(item)s are in stock%(lot)s; %(wanted)d cannot be issued."
                )
                % {
                    "available": available,
                    "unit": stock.item.unit_of_measure,
                    "item": stock.item.name,
                    "lot": (_(" in lot %(lot)s") % {"lot": lot.number}) if lot is not None else "",
                    "wanted": quantity,
                }
            }
        )
    takes, left = [], quantity
    for x in lots:
        here = min(max(balances.get(x.pk, 0), 0), left)
        if here:
            takes.append(Take(x, here))
            left -= here
        if not left:
            break
    return takes


def _draw(
    actor: User | None,
    stock: Stock,
    *,
    quantity: int,
    lot: Lot | None,
    kind: MovementKind,
    reason: str,
    now: datetime.datetime,
    ref: str = "",
    transfer: uuid.UUID | None = None,
) -> list[Movement]:
    # The lock that serialises every out-movement of this item in this warehouse (see the module doc).
    stock = Stock.objects.select_for_update().select_related("item", "warehouse__region").get(pk=stock.pk)
    moves = []
    for take in _plan_draw(stock, quantity, lot, local_date(now)):
        movement = Movement.objects.create(
            stock=stock,
            lot=take.lot,
            kind=kind,
            quantity=-take.quantity,
            reason=reason,
            ref=ref,
            transfer=transfer,
            at=now,
            actor=actor,
        )
        _audit(actor, movement, now)
        moves.append(movement)
    return moves


@transaction.atomic
def do_issue(
    actor: User | None,
    warehouse: Warehouse,
    item: SupplyItem,
    *,
    quantity: int | None,
    reason: str,
    now: datetime.datetime,
    lot: Lot | None = None,
    ref: str = "",
) -> list[Movement]:
    """出库: items issued; refused as a whole (InsufficientStock) when stock would go negative.

    A draw with a `ref` (a pool's uuid) is made once: repeating it returns the movements already made.
    """
    quantity = check_quantity(quantity)
    reason = check_reason(reason)
    stock = stock_of(warehouse, item)
    if lot is not None and lot.stock_id != stock.pk:
        raise ValidationError({"lot": _("This lot is not held in this warehouse.")})
    if ref:
        Stock.objects.select_for_update().filter(pk=stock.pk).first()
        done = list(Movement.objects.filter(stock=stock, ref=ref))
        if done:
            return done
    return _draw(
        actor, stock, quantity=quantity, lot=lot, kind=MovementKind.OUT, reason=reason, now=now, ref=ref
    )


@transaction.atomic
def do_transfer(
    actor: User,
    source: Warehouse,
    target: Warehouse,
    item: SupplyItem,
    *,
    quantity: int | None,
    reason: str,
    now: datetime.datetime,
    lot: Lot | None = None,
) -> list[Movement]:
    """调拨: out of one warehouse into another, lot by lot (the lots keep their numbers and expiry)."""
    quantity = check_quantity(quantity)
    reason = check_reason(reason)
    if source.pk == target.pk:
        raise ValidationError({"target": _("Choose another warehouse to transfer to.")})
    link = uuid.uuid4()
    outs = _draw(
        actor,
        stock_of(source, item),
        quantity=quantity,
        lot=lot,
        kind=MovementKind.TRANSFER_OUT,
        reason=reason,
        now=now,
        transfer=link,
    )
    target_stock = Stock.objects.select_for_update().get(pk=stock_of(target, item).pk)
    moves = list(outs)
    for out in outs:
        movement = Movement.objects.create(
            stock=target_stock,
            lot=_lot(target_stock, out.lot.number, out.lot.expires_on),
            kind=MovementKind.TRANSFER_IN,
            quantity=-out.quantity,
            reason=reason,
            transfer=link,
            at=now,
            actor=actor,
        )
        _audit(actor, movement, now)
        moves.append(movement)
    return moves


@transaction.atomic
def do_count(
    actor: User, lot: Lot, *, counted: int | None, reason: str, now: datetime.datetime
) -> Movement | None:
    """盘点: the quantity counted in a lot; the difference is recorded as an adjustment (None if it matches)."""
    if counted is None or counted < 0 or counted > MAX_QUANTITY:
        raise ValidationError(
            {"counted": _("The count must be a whole number from 0 to %(n)d.") % {"n": MAX_QUANTITY}}
        )
    reason = check_reason(reason)
    stock = Stock.objects.select_for_update().select_related("item", "warehouse__region").get(pk=lot.stock_id)
    current = lot_balances(stock).get(lot.pk, 0)
    if counted == current:
        return None
    movement = Movement.objects.create(
        stock=stock,
        lot=lot,
        kind=MovementKind.ADJUSTMENT,
        quantity=counted - current,
        reason=reason,
        at=now,
        actor=actor,
    )
    _audit(actor, movement, now)
    return movement
